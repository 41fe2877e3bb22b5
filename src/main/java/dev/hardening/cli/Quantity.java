package dev.hardening.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code 500m}, {@code 128Mi}, {@code 1e3}) parsed as the API server parses it
 * (apimachinery's {@code resource.ParseQuantity}), with its error texts: the API server refuses a request whose
 * quantity does not parse before any admission webhook sees it, so offline the CLI must refuse it in the same words.
 */
final class Quantity {

    /** The API server's message for anything that is not a number with a suffix: {@code true}, {@code ${CPU}}. */
    static final String FORMAT_WRONG =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    /** Its message for a number with an unknown suffix: {@code 1Gb}, {@code 2GG}. */
    static final String SUFFIX_WRONG = "unable to parse quantity's suffix";

    private static final Pattern NUMBER = Pattern.compile("([+-]?)([0-9]*)(?:\\.([0-9]*))?(.*)", Pattern.DOTALL);
    private static final Pattern EXPONENT = Pattern.compile("[eE]([+-]?[0-9]+)");
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE), Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")), Map.entry("k", new BigDecimal("1e3")), Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")), Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")), Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
            Map.entry("Mi", BigDecimal.valueOf(1L << 20)), Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
            Map.entry("Ti", BigDecimal.valueOf(1L << 40)), Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
            Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

    /** Not a quantity: {@link #FORMAT_WRONG} or {@link #SUFFIX_WRONG}. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private Quantity() {
    }

    /** The value of a JSON quantity (a string or a number; anything else is read as its text, as the API server does). */
    static BigDecimal parse(JsonNode node) throws Invalid {
        return parse(node.isTextual() ? node.textValue() : node.toString());
    }

    static BigDecimal parse(String text) throws Invalid {
        Matcher number = NUMBER.matcher(text.strip());
        if (!number.matches() || (number.group(2).isEmpty() && (number.group(3) == null || number.group(3).isEmpty()))) {
            throw new Invalid(FORMAT_WRONG);
        }
        String digits = (number.group(2).isEmpty() ? "0" : number.group(2))
                + (number.group(3) == null || number.group(3).isEmpty() ? "" : "." + number.group(3));
        BigDecimal value = new BigDecimal(digits);
        String suffix = number.group(4);
        Matcher exponent = EXPONENT.matcher(suffix);
        if (exponent.matches()) {
            value = value.scaleByPowerOfTen(Integer.parseInt(exponent.group(1)));
        } else if (SUFFIXES.containsKey(suffix)) {
            value = value.multiply(SUFFIXES.get(suffix));
        } else {
            // the API server's regular expression accepts some of these (2GG) and then fails on the suffix
            throw new Invalid(suffix.matches("[eEinumkKMGTP]*[-+]?[0-9]*") ? SUFFIX_WRONG : FORMAT_WRONG);
        }
        return "-".equals(number.group(1)) ? value.negate() : value;
    }
}
