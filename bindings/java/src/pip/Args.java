package pip;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Argument checks shared by the public classes: a null is an error naming it. */
final class Args {
  private Args() {}

  static <T> T nonNull(T value, String what) {
    if (value == null)
      throw new PipException.InvalidArgument(what + ": null");
    return value;
  }

  static byte[] utf8(String text, String what) {
    return nonNull(text, what).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] copy(byte[] bytes, String what) {
    return nonNull(bytes, what).clone();
  }

  static String orEmpty(String text) {
    return text == null ? "" : text;
  }

  static String path(Path path, String what) {
    return nonNull(path, what).toString();
  }
}
