package dev.hardening.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little DER (X.690) that this package writes and reads: certificates, their extensions, and private keys to
 * rewrap as PKCS#8. Written here rather than taken from BouncyCastle because BouncyCastle on the class path alone
 * costs every replica 0.4 CPU-seconds on its first TLS connection (Netty instantiates its JCA provider when it finds
 * the PKIX classes) and 750 classes of memory (docs/benchmarks.md).
 */
final class Der {

    static final int BOOLEAN = 0x01;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    /** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
    private static final Instant GENERALIZED_FROM = Instant.parse("2050-01-01T00:00:00Z");

    private Der() {
    }

    /** One tag-length-value; {@code contents} are concatenated. */
    static byte[] tlv(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : contents) {
            body.writeBytes(c);
        }
        int length = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... contents) {
        return tlv(SEQUENCE, contents);
    }

    static byte[] sequence(List<byte[]> contents) {
        return tlv(SEQUENCE, contents.toArray(byte[][]::new));
    }

    static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    static byte[] bool(boolean value) {
        return tlv(BOOLEAN, new byte[]{(byte) (value ? 0xFF : 0x00)});
    }

    static byte[] octets(byte[] value) {
        return tlv(OCTET_STRING, value);
    }

    /** A BIT STRING of whole bytes (keys, signatures). */
    static byte[] bits(byte[] value) {
        return tlv(BIT_STRING, new byte[]{0}, value);
    }

    /** A BIT STRING of named bits (bit 0 is the most significant), trailing zero bits dropped as DER requires. */
    static byte[] namedBits(int... set) {
        int highest = Arrays.stream(set).max().orElseThrow();
        byte[] value = new byte[highest / 8 + 1];
        for (int bit : set) {
            value[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        int unused = 7 - highest % 8;
        return tlv(BIT_STRING, new byte[]{(byte) unused}, value);
    }

    /** An OBJECT IDENTIFIER from its dotted form. */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return tlv(OID, out.toByteArray());
    }

    static byte[] time(Instant instant) {
        return instant.isBefore(GENERALIZED_FROM)
                ? tlv(UTC_TIME, UTC.format(instant).getBytes(StandardCharsets.US_ASCII))
                : tlv(GENERALIZED_TIME, GENERALIZED.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code [n]} EXPLICIT: the element wrapped whole. */
    static byte[] explicit(int n, byte[] element) {
        return tlv(0xA0 | n, element);
    }

    /** {@code [n]} IMPLICIT of a primitive type: the tag replaced, the contents kept. */
    static byte[] implicit(int n, byte[] contents) {
        return tlv(0x80 | n, contents);
    }

    private static void base128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int b = (int) (value >>> (7 * i)) & 0x7F;
            out.write(i == 0 ? b : b | 0x80);
        }
    }

    /** A parsed element: its tag, its contents, and the whole encoding. */
    record Element(int tag, byte[] contents, byte[] encoded) {

        /** The elements inside a constructed one (SEQUENCE, SET, [n] EXPLICIT). */
        List<Element> children() {
            if ((tag & 0x20) == 0) {
                throw new IllegalArgumentException("DER: a primitive element has no children");
            }
            List<Element> out = new ArrayList<>();
            int offset = 0;
            while (offset < contents.length) {
                Element child = read(contents, offset);
                out.add(child);
                offset += child.encoded.length;
            }
            return out;
        }
    }

    /** The one element that {@code der} must be, whole. */
    static Element parse(byte[] der) {
        Element element = read(der, 0);
        if (element.encoded.length != der.length) {
            throw new IllegalArgumentException("DER: trailing bytes");
        }
        return element;
    }

    private static Element read(byte[] der, int offset) {
        if (der.length - offset < 2) {
            throw new IllegalArgumentException("DER: truncated");
        }
        int tag = der[offset] & 0xFF;
        if ((tag & 0x1F) == 0x1F) {
            throw new IllegalArgumentException("DER: multi-byte tags are not used here");
        }
        int first = der[offset + 1] & 0xFF;
        int header = 2;
        long length = first;
        if (first >= 0x80) {
            int bytes = first & 0x7F;
            if (bytes == 0 || bytes > 4 || der.length - offset < 2 + bytes) {
                throw new IllegalArgumentException("DER: bad length");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[offset + 2 + i] & 0xFF);
            }
            header += bytes;
        }
        if (length > der.length - offset - header) {
            throw new IllegalArgumentException("DER: truncated");
        }
        int end = offset + header + (int) length;
        return new Element(tag, Arrays.copyOfRange(der, offset + header, end), Arrays.copyOfRange(der, offset, end));
    }
}
