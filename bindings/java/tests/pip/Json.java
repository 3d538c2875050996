package pip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for the tests' assertions (the JDK has none): objects
 * become maps, arrays lists, numbers Long or Double, and the rest String,
 * Boolean or null. Throws IllegalArgumentException on malformed input.
 */
final class Json {
  private final String text;
  private int at;

  private Json(String text) {
    this.text = text;
  }

  static Object parse(String text) {
    Json json = new Json(text);
    Object value = json.value();
    json.space();
    if (json.at != text.length())
      throw json.error("trailing text");
    return value;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(String text) {
    return (Map<String, Object>) parse(text);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at " + at + " in " + text);
  }

  private void space() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) ++at;
  }

  private boolean take(char c) {
    space();
    if (at < text.length() && text.charAt(at) == c) {
      ++at;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!take(c))
      throw error("expected '" + c + "'");
  }

  private Object value() {
    space();
    if (at >= text.length())
      throw error("unexpected end");
    char c = text.charAt(at);
    if (c == '{') {
      ++at;
      Map<String, Object> map = new LinkedHashMap<>();
      if (take('}'))
        return map;
      do {
        space();
        String key = string();
        expect(':');
        map.put(key, value());
      } while (take(','));
      expect('}');
      return map;
    }
    if (c == '[') {
      ++at;
      List<Object> list = new ArrayList<>();
      if (take(']'))
        return list;
      do {
        list.add(value());
      } while (take(','));
      expect(']');
      return list;
    }
    if (c == '"')
      return string();
    if (text.startsWith("true", at)) {
      at += 4;
      return Boolean.TRUE;
    }
    if (text.startsWith("false", at)) {
      at += 5;
      return Boolean.FALSE;
    }
    if (text.startsWith("null", at)) {
      at += 4;
      return null;
    }
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) ++at;
    String number = text.substring(start, at);
    if (number.isEmpty())
      throw error("unexpected character");
    if (number.matches("-?\\d+"))
      return Long.parseLong(number);
    return Double.parseDouble(number);
  }

  private String string() {
    if (at >= text.length() || text.charAt(at) != '"')
      throw error("expected a string");
    ++at;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (at >= text.length())
        throw error("unterminated string");
      char c = text.charAt(at++);
      if (c == '"')
        return out.toString();
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = text.charAt(at++);
      switch (e) {
        case 'n':
          out.append('\n');
          break;
        case 't':
          out.append('\t');
          break;
        case 'r':
          out.append('\r');
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'u':
          out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          at += 4;
          break;
        default:
          out.append(e);
      }
    }
  }
}
