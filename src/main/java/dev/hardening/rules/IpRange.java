package dev.hardening.rules;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 CIDR such as {@code 203.0.113.0/24} or {@code 2001:db8::/32}, and IP address literals, parsed
 * strictly and without any name lookup: what {@code spec.network.allowedExternalIPs} lists and a Service's
 * {@code spec.externalIPs} must fall into. A bare address is a range of one.
 */
public record IpRange(byte[] network, int prefix) {

    /** Dotted quad with no leading zeros, as the API server validates IPs (no {@code 127.1}, no octal). */
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** Only what an IPv6 literal contains: InetAddress then parses it as a literal, never as a host name. */
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** A CIDR ({@code address/prefix}) or a single address; empty when it is neither. */
    public static Optional<IpRange> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        Optional<byte[]> address = address(slash < 0 ? text : text.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int bits = address.get().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(digits);
            if (prefix > bits) {
                return Optional.empty();
            }
        }
        return Optional.of(new IpRange(address.get(), prefix));
    }

    /** The bytes of an IPv4 (4) or IPv6 (16) literal; empty for anything else, including host names. */
    public static Optional<byte[]> address(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
            return Optional.of(bytes);
        }
        if (text.indexOf(':') < 0 || !IPV6_CHARS.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            // a literal with ':' is never looked up; an IPv4-mapped one comes back as 4 bytes
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code address} (from {@link #address}) lies in this range; IPv4 never matches an IPv6 range. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }
}
