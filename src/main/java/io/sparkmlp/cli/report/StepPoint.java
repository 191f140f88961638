package io.sparkmlp.cli.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One recorded optimizer step (recorded every {@code --log-every} steps): 1-based epoch and step
 * within it, global step, the step's mean loss, its learning rate and rows. Jackson writes it as
 * a line of {@code steps.jsonl}, in this order.
 */
public record StepPoint(int epoch, int step, @JsonProperty("global_step") long globalStep,
    double loss, double lr, long rows) {}
