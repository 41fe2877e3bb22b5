package dev.hardening.rules;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Strict IP and CIDR parsing, as the API server validates them, and containment, for allowedExternalIPs. */
class IpRangeTest {

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource({
            "203.0.113.10, 203.0.113.0/24, true",
            "203.0.114.10, 203.0.113.0/24, false",
            "203.0.113.10, 203.0.113.10, true",
            "203.0.113.11, 203.0.113.10, false",
            "10.1.2.3, 10.0.0.0/9, true",
            "10.128.0.1, 10.0.0.0/9, false",
            "10.1.2.3, 0.0.0.0/0, true",
            "2001:db8::5, 2001:db8::/64, true",
            "2001:db8:0:1::5, 2001:db8::/64, false",
            "203.0.113.10, ::/0, false",
            "::ffff:203.0.113.10, 203.0.113.0/24, true"})
    void containment(String address, String range, boolean inside) {
        assertThat(IpRange.parse(range).orElseThrow().contains(IpRange.address(address).orElseThrow())).isEqualTo(inside);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"127.1", "010.0.0.1", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/-1", "2001:db8::/129", "example.com",
            "localhost", "fe80::1%eth0", "' 1.2.3.4'", "''", ":::", "1.2.3.4/0x8"})
    void rejectsWhatIsNotAnIpOrCidr(String text) {
        assertThat(IpRange.parse(text)).isEmpty();
    }
}
