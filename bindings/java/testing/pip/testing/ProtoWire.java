package pip.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protobuf wire format, as much as the tests and the benchmark need to
 * write a few pip.v1 requests and read a few fields of a decision without a
 * protobuf runtime for Java: varints, strings and nested messages.
 */
public final class ProtoWire {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A string field (wire type 2). */
  public ProtoWire string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A nested message field (wire type 2). */
  public ProtoWire message(int field, ProtoWire message) {
    return bytes(field, message.toByteArray());
  }

  /** A nested message field, already serialized. */
  public ProtoWire message(int field, byte[] message) {
    return bytes(field, message);
  }

  /** A varint field (wire type 0): int32, int64, bool, enum. */
  public ProtoWire varint(int field, long value) {
    tag(field, 0);
    varint(value);
    return this;
  }

  /** A google.protobuf.Timestamp of an RFC 3339 time. */
  public static ProtoWire timestamp(String rfc3339) {
    OffsetDateTime t = OffsetDateTime.parse(rfc3339);
    ProtoWire ts = new ProtoWire().varint(1, t.toEpochSecond());
    return t.getNano() == 0 ? ts : ts.varint(2, t.getNano());
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }

  private ProtoWire bytes(int field, byte[] value) {
    tag(field, 2);
    varint(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  /**
   * The fields of a message: field number to its values, a Long for a
   * varint, a byte[] for a length-delimited field. Throws
   * IllegalArgumentException for other wire types or truncated bytes.
   */
  public static Map<Integer, List<Object>> fields(byte[] message) {
    Map<Integer, List<Object>> fields = new LinkedHashMap<>();
    int[] at = {0};
    while (at[0] < message.length) {
      long tag = readVarint(message, at);
      int field = (int) (tag >>> 3);
      Object value;
      switch ((int) (tag & 7)) {
        case 0:
          value = readVarint(message, at);
          break;
        case 2:
          int n = (int) readVarint(message, at);
          if (n < 0 || at[0] + n > message.length)
            throw new IllegalArgumentException("truncated");
          byte[] b = new byte[n];
          System.arraycopy(message, at[0], b, 0, n);
          at[0] += n;
          value = b;
          break;
        default:
          throw new IllegalArgumentException("wire type " + (tag & 7));
      }
      fields.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
    }
    return fields;
  }

  /** The one string of `field` in `message`, or "" when it is absent. */
  public static String stringField(byte[] message, int field) {
    List<Object> values = fields(message).get(field);
    return values == null ? "" : new String((byte[]) values.get(0), StandardCharsets.UTF_8);
  }

  /** The one varint of `field` in `message` (a bool: 0 or 1), or 0 when it is absent. */
  public static long varintField(byte[] message, int field) {
    List<Object> values = fields(message).get(field);
    return values == null ? 0 : (Long) values.get(0);
  }

  private static long readVarint(byte[] b, int[] at) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at[0] >= b.length)
        throw new IllegalArgumentException("truncated varint");
      int c = b[at[0]++] & 0xFF;
      value |= (long) (c & 0x7F) << shift;
      if ((c & 0x80) == 0)
        return value;
    }
    throw new IllegalArgumentException("varint too long");
  }
}
