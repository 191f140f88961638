package io.sparkmlp.cli.report;

/**
 * One recorded optimizer step (recorded every {@code --log-every} steps): 1-based epoch and step
 * within it, global step, the step's mean loss, its learning rate and rows. The same fields as a
 * line of {@code steps.jsonl}.
 */
public record StepPoint(int epoch, int step, long globalStep, double loss, double lr, long rows) {}
