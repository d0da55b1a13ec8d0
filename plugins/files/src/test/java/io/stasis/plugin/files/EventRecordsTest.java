package io.stasis.plugin.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The describers read the layouts files_event.h documents, and refuse damaged payloads with a message. */
class EventRecordsTest {

    private static final int NONBLOCK = 04000;

    private static ByteBuffer payload(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The 24-byte head every event payload starts with, not shared with another process. */
    private static ByteBuffer head(int size, int sameAs, int openFlags) {
        return payload(size).putInt(sameAs).putInt(openFlags).putInt(0).putInt(0).putInt(0).putInt(0);
    }

    private static String describe(int kind, ByteBuffer written) {
        ByteBuffer p = written.flip().slice().order(ByteOrder.BIG_ENDIAN); // the describer must set the order itself
        return EventRecords.describers().get(kind).describe(3, p);
    }

    @Test
    void everyKindOfTheEventHandlersHasADescriber() {
        assertThat(EventRecords.describers()).containsOnlyKeys(5, 6, 7, 8, 9);
    }

    @Test
    void eventfdShowsCountAndMode() {
        ByteBuffer p = head(40, -1, 02 | NONBLOCK).putLong(0x128).putInt(1).putInt(0);
        assertThat(describe(RecordKind.EVENTFD, p)).isEqualTo("fd 3: eventfd count 296, semaphore, nonblock");
    }

    @Test
    void aDupNamesItsOriginal() {
        ByteBuffer p = head(40, 6, 02).putLong(7).putInt(0).putInt(0);
        assertThat(describe(RecordKind.EVENTFD, p)).isEqualTo("fd 3: eventfd dup of fd 6");
    }

    @Test
    void signalfdNamesItsSignals() {
        ByteBuffer p = head(32, -1, 02).putLong(1L << 9 | 1L << 33);
        assertThat(describe(RecordKind.SIGNALFD, p)).isEqualTo("fd 3: signalfd mask SIGUSR1,SIG34");
    }

    @Test
    void relativeTimerShowsTimeLeftPeriodAndUnreadTicks() {
        ByteBuffer p = head(80, -1, 02).putInt(1).putInt(0).putLong(3).putLong(0).putLong(30_000_000).putLong(0)
                .putLong(50_000_000).putInt(0).putInt(0);
        assertThat(describe(RecordKind.TIMERFD, p)).isEqualTo(
                "fd 3: timerfd CLOCK_MONOTONIC, 0.030000000 s left, every 0.050000000 s, 3 expirations unread");
    }

    @Test
    void absoluteWallClockTimerShowsItsDeadline() {
        ByteBuffer p = head(80, -1, 02).putInt(0).putInt(3).putLong(0).putLong(1_800_000_000L).putLong(5).putLong(0)
                .putLong(0).putInt(1).putInt(0);
        assertThat(describe(RecordKind.TIMERFD, p)).isEqualTo(
                "fd 3: timerfd CLOCK_REALTIME, deadline 2027-01-15T08:00:00.000000005Z (cancel on clock set)");
    }

    @Test
    void disarmedTimer() {
        ByteBuffer p = head(80, -1, 02).putInt(7).putInt(0).putLong(1).putLong(0).putLong(0).putLong(0).putLong(0)
                .putInt(0).putInt(0);
        assertThat(describe(RecordKind.TIMERFD, p))
                .isEqualTo("fd 3: timerfd CLOCK_BOOTTIME, disarmed, 1 expirations unread");
    }

    @Test
    void timerWithImpossibleNanosecondsIsRefused() {
        ByteBuffer p = head(80, -1, 02).putInt(1).putInt(0).putLong(0).putLong(1).putLong(1_000_000_000L).putLong(0)
                .putLong(0).putInt(0).putInt(0);
        assertThatThrownBy(() -> describe(RecordKind.TIMERFD, p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000000000 ns");
    }

    @Test
    void inotifyShowsEachWatchAndWhetherItCanComeBack() {
        byte[] path = "/tmp/w".getBytes(StandardCharsets.UTF_8);
        ByteBuffer p = head(40 + 28 + path.length + 28, -1, NONBLOCK).putInt(2).putInt(5).putInt(0).putInt(0)
                .putInt(2).putInt(0x100).putInt(0x01000000).putInt(0xfe00000).putLong(19).putInt(path.length).put(path)
                .putInt(4).putInt(0x200 | 0x04000000).putInt(0).putInt(254 << 20 | 1).putLong(77).putInt(0);
        assertThat(describe(RecordKind.INOTIFY, p)).isEqualTo("fd 3: inotify 2 watches, next wd 5: "
                + "wd 2 /tmp/w create,onlydir; "
                + "wd 4 (path unknown: not restored; inode 77 on 254:1) delete,excl_unlink, nonblock");
    }

    @Test
    void inotifyPathLongerThanThePayloadIsRefused() {
        ByteBuffer p = head(40 + 28, -1, 0).putInt(1).putInt(2).putInt(0).putInt(0).putInt(1).putInt(0x100).putInt(0)
                .putInt(0).putLong(1).putInt(4096);
        assertThatThrownBy(() -> describe(RecordKind.INOTIFY, p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4096 bytes");
    }

    @Test
    void inotifyCountBeyondThePayloadIsRefused() {
        ByteBuffer p = head(40, -1, 0).putInt(1_000_000).putInt(2).putInt(0).putInt(0);
        assertThatThrownBy(() -> describe(RecordKind.INOTIFY, p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000000 watches");
    }

    @Test
    void epollShowsItsInterestList() {
        ByteBuffer p = head(32 + 3 * 24, -1, 02).putInt(3).putInt(0)
                .putInt(3).putInt(0x80000019).putLong(0x5354415300000003L).putInt(3).putInt(0)
                .putInt(9).putInt(0x40000000).putLong(42).putInt(12).putInt(0)
                .putInt(10).putInt(0x10000001).putLong(0).putInt(-1).putInt(0);
        assertThat(describe(RecordKind.EPOLL, p)).isEqualTo("fd 3: epoll 3 registrations: "
                + "fd 3 in,err,hup,et data 0x5354415300000003; "
                + "fd 9 (through 12) oneshot data 0x2a; "
                + "fd 10 (its file is closed: not restored) in,exclusive data 0x0");
    }

    @Test
    void epollDroppedRegistrationsAreSaid() {
        ByteBuffer p = head(32, -1, 02).putInt(0).putInt(7);
        assertThat(describe(RecordKind.EPOLL, p)).isEqualTo("fd 3: epoll 0 registrations, 7 more not saved");
    }

    @Test
    void truncatedPayloadsAreRefusedWithTheirKind() {
        assertThatThrownBy(() -> describe(RecordKind.EVENTFD, payload(12).put(new byte[12])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventfd record of 12 bytes");
        assertThatThrownBy(() -> describe(RecordKind.SIGNALFD, payload(3).put(new byte[3])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signalfd");
        assertThatThrownBy(() -> describe(RecordKind.TIMERFD, head(79, -1, 0).put(new byte[55])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timerfd");
        ByteBuffer epoll = head(32 + 10, -1, 0).putInt(1).putInt(0).put(new byte[10]);
        assertThatThrownBy(() -> describe(RecordKind.EPOLL, epoll))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 registrations cannot fit");
    }

    /** Payloads as the fragment wrote them for plugins/files/tests/programs/event-state (a real image's files section). */
    @Test
    void payloadsWrittenByTheFragmentAreRead() {
        assertThat(golden(RecordKind.TIMERFD, "ffffffff020808000000000000000000000000000000000001000000000000"
                + "00e8030000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000"))
                .isEqualTo("fd 3: timerfd CLOCK_MONOTONIC, disarmed, 1000 expirations unread, nonblock");
        assertThat(golden(RecordKind.TIMERFD, "ffffffff020800000000000000000000000000000000000000000000010000"
                + "0000000000000000004c08086b0000000021ac00000000000000000000000000000000000000000000000100000000"
                + "000000"))
                .isEqualTo("fd 3: timerfd CLOCK_REALTIME, deadline 2026-11-26T10:22:04.000044065Z, nonblock");
        assertThat(golden(RecordKind.EVENTFD, "ffffffff0208000000000000000000000000000000000000050000000000000001"
                + "00000000000000"))
                .isEqualTo("fd 3: eventfd count 5, semaphore, nonblock");
        assertThat(golden(RecordKind.EVENTFD, "090000000200000000000000000000000000000000000000070000000000000000"
                + "00000000000000"))
                .isEqualTo("fd 3: eventfd dup of fd 9");
        assertThat(golden(RecordKind.EPOLL, "ffffffff02000000000000000000000000000000000000000100000000000000110000"
                + "00190000000400000000000dd01000000000000000"))
                .isEqualTo("fd 3: epoll 1 registration: fd 17 (through 16) in,err,hup data 0xd00d000000000004");
        assertThat(golden(RecordKind.INOTIFY, "ffffffff000800000000000000000000000000000000000003000000e20500000000"
                + "000000000000dd05000000010000000000000000e00fddc4200000000000190000002f746d702f6576776f726b2f6576"
                + "656e742d73746174652f61df05000000010000000000000000e00fdcc4200000000000170000002f746d702f657677"
                + "6f726b2f6576656e742d7374617465e005000000030000000000000000e00fdfc4200000000000190000002f746d70"
                + "2f6576776f726b2f6576656e742d73746174652f63"))
                .isEqualTo("fd 3: inotify 3 watches, next wd 1506: wd 1501 /tmp/evwork/event-state/a create; "
                        + "wd 1503 /tmp/evwork/event-state create; "
                        + "wd 1504 /tmp/evwork/event-state/c create,delete, nonblock");
        assertThat(golden(RecordKind.SIGNALFD, "ffffffff0208000000000000000000000000000000000000000200080000"
                + "0000"))
                .isEqualTo("fd 3: signalfd mask SIGUSR1,SIGWINCH, nonblock");
    }

    /** …and for plugins/files/tests/programs/event-shared, parent (owner) and child (user). */
    @Test
    void sharedPayloadsWrittenByTheFragmentAreRead() {
        assertThat(golden(RecordKind.EVENTFD, "ffffffff02000800d47700000300000001000000000000000000000000000000"
                + "0100000000000000"))
                .isEqualTo("fd 3: eventfd count 0, semaphore, shared with child processes (recreated here)");
        assertThat(golden(RecordKind.EVENTFD, "ffffffff02080800d47700000400000002000000000000000000000000000000"
                + "0000000000000000"))
                .isEqualTo("fd 3: eventfd count 0, nonblock, shared: fd 4 of process 30676 (taken from it)");
        assertThat(golden(RecordKind.EPOLL, "ffffffff02000800d4770000050000000200000000000000010000000000000004"
                + "00000019000000676e6f70000000000400000000000000"))
                .isEqualTo("fd 3: epoll 1 registration: fd 4 in,err,hup data 0x706f6e67, "
                        + "shared: fd 5 of process 30676 (taken from it)");
    }

    @Test
    void unknownShareRoleIsRefused() {
        ByteBuffer p = payload(40).putInt(-1).putInt(0).putInt(1).putInt(3).putInt(7).putInt(0).putLong(0).putLong(0);
        assertThatThrownBy(() -> describe(RecordKind.EVENTFD, p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("share role 7");
    }

    private static String golden(int kind, String hex) {
        return EventRecords.describers().get(kind).describe(3, ByteBuffer.wrap(java.util.HexFormat.of().parseHex(hex)));
    }
}
