package io.sparkmlp.ml;

/**
 * Hands a stage's uid to its Scala superclass constructor. Spark's shared Params
 * ({@code featuresCol}, {@code predictionCol}, ...) are trait vals created in that constructor
 * with {@code uid()} as their parent, before a Java subclass can assign any field; a Scala class
 * avoids this with {@code class X(override val uid: String)}. Our stages instead call
 * {@code this(PendingUid.hold(uid))}: the argument is evaluated before the superclass
 * constructor runs, {@code uid()} answers {@link #peek()} until the field is set, and the
 * constructor body takes the value with {@link #release()}.
 */
final class PendingUid {
  private static final ThreadLocal<String> NEXT = new ThreadLocal<>();

  /** Marks the private constructor that receives a held uid. */
  static final class Token {
    private Token() {}
  }

  private PendingUid() {}

  /** Holds {@code uid} for the constructor about to run on this thread. */
  static Token hold(String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("a stage uid must be non-empty, got '" + uid + "'");
    }
    NEXT.set(uid);
    return new Token();
  }

  /** The held uid, while the superclass constructor runs. */
  static String peek() {
    return NEXT.get();
  }

  /** Takes the held uid. */
  static String release() {
    String uid = NEXT.get();
    NEXT.remove();
    return uid;
  }
}
