package io.sparkmlp.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An enum whose constants are chosen by name: in command-line options, job files, Spark ML
 * Params, model metadata and checkpoints. Every such enum of the engine parses its names the same
 * way, with {@link #parse}:
 *
 * <ul>
 *   <li>a constant's name is {@link #optionName()}, its Java name in lower case unless the enum
 *       says otherwise ({@code cross-entropy});
 *   <li>the text is matched ignoring surrounding blanks and letter case, with {@code -} and
 *       {@code _} alike ({@code Leaky-ReLU} is {@code leaky_relu});
 *   <li>anything else is an {@link IllegalArgumentException} that names the text and every
 *       allowed name: {@code unknown device 'tpu'; expected auto, cpu or gpu}.
 * </ul>
 */
public interface Named {

  /** The name users write. */
  default String optionName() {
    return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
  }

  /**
   * The constant of {@code type} named {@code text}.
   *
   * @param what what the name names, for the error message ({@code "device"})
   * @throws IllegalArgumentException when no constant has that name (or {@code text} is null)
   */
  static <E extends Enum<E> & Named> E parse(Class<E> type, String what, String text) {
    if (text != null) {
      String key = normalise(text);
      for (E e : type.getEnumConstants()) {
        if (normalise(e.optionName()).equals(key)) {
          return e;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown " + what + " '" + text + "'; expected " + alternatives(names(type)));
  }

  /** The option names of {@code type}'s constants, in declaration order. */
  static <E extends Enum<E> & Named> List<String> names(Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.optionName());
    }
    return names;
  }

  /** {@code a}, {@code a or b}, {@code a, b or c}: the choices as a message lists them. */
  static String alternatives(List<String> names) {
    int last = names.size() - 1;
    return last <= 0 ? String.join("", names)
        : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
  }

  private static String normalise(String name) {
    return name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
  }
}
