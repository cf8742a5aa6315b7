package io.kinesisbridge.source.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the kernel's UDP socket table: rows as Linux writes them in /proc/net/udp and /proc/net/udp6. */
class UdpSocketTableTest {

    private static final List<String> ROWS = List.of(
            "  791: 0100007F:15AA 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 48213 2 0000000000000000 10954",
            "  792: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 17 2 0000000000000000 0",
            "  793: 00000000000000000000000001000000:15AB 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 "
                    + "00000000  1000        0 99 2 0000000000000000 7");

    @Test
    void dropsAreTheLastColumn_ofTheRowWithTheSocketsInode() {
        assertThat(UdpSocketTable.drops(ROWS, 48213)).hasValue(10954);
        assertThat(UdpSocketTable.drops(ROWS, 99)).hasValue(7);
        assertThat(UdpSocketTable.drops(ROWS, 4821)).isEmpty();
    }

    @Test
    void theLocalPort_isTheHexNumberAfterTheLastColon() {
        assertThat(UdpSocketTable.localPort("0100007F:15AA")).isEqualTo(5546);
        assertThat(UdpSocketTable.localPort("00000000000000000000000001000000:15AB"))
                .isEqualTo(5547);
        assertThat(UdpSocketTable.localPort("garbage")).isEqualTo(-1);
    }
}
