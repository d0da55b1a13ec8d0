package io.stasis.plugin.files;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The records of the event descriptors (plugins/files/native/files_event.c, files_epoll.c), shown in
 * {@code stasis inspect}. Layouts, little-endian, as files_event.h documents them; every payload starts with
 * a 24-byte head: {@code i32 same_as} (-1, or the descriptor this one is a dup of), {@code u32 open_flags},
 * {@code i32 share_pid, i32 share_fd} (the description as the topmost process sharing it names it),
 * {@code u32 share_role} (0 not shared, 1 owner, 2 user), {@code u32 reserved}:
 *
 * <pre>
 * EVENTFD  (kind 5)  u64 count, u32 semaphore, u32 reserved                                      40 bytes
 * EPOLL    (kind 6)  u32 target_count, u32 dropped,
 *                    then per target: i32 tfd, u32 events, u64 data, i32 via_fd, u32 reserved   32 + 24 n
 * SIGNALFD (kind 7)  u64 sigmask (bit n-1 = signal n)                                            32 bytes
 * TIMERFD  (kind 8)  i32 clockid, u32 settime_flags, u64 ticks, i64 value_sec, i64 value_nsec,
 *                    i64 interval_sec, i64 interval_nsec, u32 absolute, u32 reserved              80 bytes
 * INOTIFY  (kind 9)  u32 watch_count, i32 next_wd, u32 dropped, u32 reserved,
 *                    then per watch: i32 wd, u32 mask, u32 add_flags, u32 sdev, u64 ino,
 *                    u32 path_length, path bytes                                                 40 + 28 n + paths
 * </pre>
 */
final class EventRecords {


    private static final int O_NONBLOCK = 04000;

    private EventRecords() {
    }

    /** A describer for each record kind the event handlers write, by kind. */
    static Map<Integer, RecordDescriber> describers() {
        return Map.of(RecordKind.EVENTFD, new Eventfd(), RecordKind.EPOLL, new Epoll(), RecordKind.SIGNALFD, new Signalfd(),
                RecordKind.TIMERFD, new Timerfd(), RecordKind.INOTIFY, new Inotify());
    }

    /** eventfd: its counter and mode. */
    record Eventfd() implements RecordDescriber {
        @Override
        public String describe(int fd, ByteBuffer payload) {
            return read(fd, payload, 40, "eventfd", p -> {
                long count = p.getLong();
                boolean semaphore = p.getInt() != 0;
                return "count " + Long.toUnsignedString(count) + (semaphore ? ", semaphore" : "");
            });
        }
    }

    /** signalfd: the signals it accepts. */
    record Signalfd() implements RecordDescriber {
        @Override
        public String describe(int fd, ByteBuffer payload) {
            return read(fd, payload, 32, "signalfd", p -> "mask " + signals(p.getLong()));
        }
    }

    /** timerfd: clock, time left or deadline, period, expirations not yet read. */
    record Timerfd() implements RecordDescriber {
        @Override
        public String describe(int fd, ByteBuffer payload) {
            return read(fd, payload, 80, "timerfd", p -> {
                int clock = p.getInt();
                int settimeFlags = p.getInt();
                long ticks = p.getLong();
                long valueSec = p.getLong();
                long valueNsec = p.getLong();
                long intervalSec = p.getLong();
                long intervalNsec = p.getLong();
                boolean absolute = p.getInt() != 0;
                requireTime(valueSec, valueNsec);
                requireTime(intervalSec, intervalNsec);
                StringBuilder s = new StringBuilder(clockName(clock));
                if (valueSec == 0 && valueNsec == 0) {
                    s.append(", disarmed");
                } else if (absolute) {
                    s.append(", deadline ").append(Instant.ofEpochSecond(valueSec, valueNsec));
                    if ((settimeFlags & 2) != 0) {
                        s.append(" (cancel on clock set)");
                    }
                } else {
                    s.append(", ").append(seconds(valueSec, valueNsec)).append(" s left");
                }
                if (intervalSec != 0 || intervalNsec != 0) {
                    s.append(", every ").append(seconds(intervalSec, intervalNsec)).append(" s");
                }
                if (ticks != 0) {
                    s.append(", ").append(Long.toUnsignedString(ticks)).append(" expirations unread");
                }
                return s.toString();
            });
        }
    }

    /** inotify: each watch with its wd, mask and the path it will be added by again. */
    record Inotify() implements RecordDescriber {
        @Override
        public String describe(int fd, ByteBuffer payload) {
            return read(fd, payload, 40, "inotify", p -> {
                long count = Integer.toUnsignedLong(p.getInt());
                int nextWd = p.getInt();
                long dropped = Integer.toUnsignedLong(p.getInt());
                p.getInt();
                if (count > p.remaining() / 28) {
                    throw new IllegalArgumentException(count + " watches cannot fit in " + p.remaining() + " bytes");
                }
                List<String> watches = new ArrayList<>();
                for (long i = 0; i < count; i++) {
                    int wd = p.getInt();
                    int mask = p.getInt();
                    int addFlags = p.getInt();
                    int sdev = p.getInt();
                    long ino = p.getLong();
                    int pathLength = p.getInt();
                    if (pathLength < 0 || pathLength > p.remaining()) {
                        throw new IllegalArgumentException("watch " + wd + ": path of " + pathLength + " bytes");
                    }
                    byte[] path = new byte[pathLength];
                    p.get(path);
                    String where = pathLength == 0
                            ? "(path unknown: not restored; inode " + Long.toUnsignedString(ino) + " on "
                                    + (sdev >>> 20) + ":" + (sdev & 0xfffff) + ")"
                            : new String(path, StandardCharsets.UTF_8);
                    watches.add("wd " + wd + " " + where + " " + names(mask | addFlags, INOTIFY_BITS));
                }
                String s = count + (count == 1 ? " watch" : " watches")
                        + (nextWd > 0 ? ", next wd " + nextWd : "")
                        + (dropped != 0 ? ", " + dropped + " more not saved" : "");
                return watches.isEmpty() ? s : s + ": " + String.join("; ", watches);
            });
        }
    }

    /** epoll: its interest list. */
    record Epoll() implements RecordDescriber {
        @Override
        public String describe(int fd, ByteBuffer payload) {
            return read(fd, payload, 32, "epoll", p -> {
                long count = Integer.toUnsignedLong(p.getInt());
                long dropped = Integer.toUnsignedLong(p.getInt());
                if (count > p.remaining() / 24) {
                    throw new IllegalArgumentException(count + " registrations cannot fit in " + p.remaining()
                            + " bytes");
                }
                List<String> targets = new ArrayList<>();
                for (long i = 0; i < count; i++) {
                    int tfd = p.getInt();
                    int events = p.getInt();
                    long data = p.getLong();
                    int via = p.getInt();
                    p.getInt();
                    String through = via == tfd ? "" : via < 0 ? " (its file is closed: not restored)"
                            : " (through " + via + ")";
                    targets.add("fd " + tfd + through + " " + names(events, EPOLL_BITS) + " data 0x"
                            + Long.toHexString(data));
                }
                String s = count + (count == 1 ? " registration" : " registrations")
                        + (dropped != 0 ? ", " + dropped + " more not saved" : "");
                return targets.isEmpty() ? s : s + ": " + String.join("; ", targets);
            });
        }
    }

    /**
     * "fd N: kind …": the common head, then the kind's own fields; {@code minimum} is the size of the fixed part.
     * A dup says of which descriptor and nothing else (the rest is not used at restart).
     */
    private static String read(int fd, ByteBuffer payload, int minimum, String kind,
            Function<ByteBuffer, String> body) {
        ByteBuffer p = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (p.remaining() < minimum) {
            throw new IllegalArgumentException(kind + " record of " + p.remaining() + " bytes, at least " + minimum
                    + " expected");
        }
        try {
            int sameAs = p.getInt();
            int openFlags = p.getInt();
            int sharePid = p.getInt();
            int shareFd = p.getInt();
            int shareRole = p.getInt();
            p.getInt();
            if (sameAs >= 0) {
                return "fd " + fd + ": " + kind + " dup of fd " + sameAs;
            }
            String flags = (openFlags & O_NONBLOCK) != 0 ? ", nonblock" : "";
            String shared = switch (shareRole) {
                case 0 -> "";
                case 1 -> ", shared with child processes (recreated here)";
                case 2 -> ", shared: fd " + shareFd + " of process " + sharePid + " (taken from it)";
                default -> throw new IllegalArgumentException("share role " + shareRole);
            };
            return "fd " + fd + ": " + kind + " " + body.apply(p) + flags + shared;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException(kind + " record truncated", e);
        }
    }

    private static void requireTime(long sec, long nsec) {
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
            throw new IllegalArgumentException("time " + sec + " s " + nsec + " ns");
        }
    }

    private static String seconds(long sec, long nsec) {
        return sec + "." + String.format("%09d", nsec);
    }

    private static String clockName(int clock) {
        return switch (clock) {
            case 0 -> "CLOCK_REALTIME";
            case 1 -> "CLOCK_MONOTONIC";
            case 7 -> "CLOCK_BOOTTIME";
            case 8 -> "CLOCK_REALTIME_ALARM";
            case 9 -> "CLOCK_BOOTTIME_ALARM";
            default -> "clock " + clock;
        };
    }

    private static final String[] SIGNAL_NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ",
        "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    private static String signals(long mask) {
        List<String> names = new ArrayList<>();
        for (int sig = 1; sig <= 64; sig++) {
            if ((mask & (1L << (sig - 1))) != 0) {
                names.add(sig < SIGNAL_NAMES.length ? SIGNAL_NAMES[sig] : "SIG" + sig);
            }
        }
        return names.isEmpty() ? "(none)" : String.join(",", names);
    }

    private record Bit(int value, String name) {
    }

    private static final List<Bit> EPOLL_BITS = List.of(new Bit(0x1, "in"), new Bit(0x2, "pri"), new Bit(0x4, "out"),
            new Bit(0x8, "err"), new Bit(0x10, "hup"), new Bit(0x40, "rdnorm"), new Bit(0x80, "rdband"),
            new Bit(0x100, "wrnorm"), new Bit(0x200, "wrband"), new Bit(0x400, "msg"), new Bit(0x2000, "rdhup"),
            new Bit(1 << 28, "exclusive"), new Bit(1 << 29, "wakeup"), new Bit(1 << 30, "oneshot"),
            new Bit(1 << 31, "et"));

    private static final List<Bit> INOTIFY_BITS = List.of(new Bit(0x1, "access"), new Bit(0x2, "modify"),
            new Bit(0x4, "attrib"), new Bit(0x8, "close_write"), new Bit(0x10, "close_nowrite"), new Bit(0x20, "open"),
            new Bit(0x40, "moved_from"), new Bit(0x80, "moved_to"), new Bit(0x100, "create"), new Bit(0x200, "delete"),
            new Bit(0x400, "delete_self"), new Bit(0x800, "move_self"), new Bit(0x01000000, "onlydir"),
            new Bit(0x02000000, "dont_follow"), new Bit(0x04000000, "excl_unlink"), new Bit(1 << 31, "oneshot"));

    /** "in,et" for the bits known, the rest in hex. */
    private static String names(int mask, List<Bit> bits) {
        List<String> names = new ArrayList<>();
        int rest = mask;
        for (Bit bit : bits) {
            if ((mask & bit.value()) != 0) {
                names.add(bit.name());
                rest &= ~bit.value();
            }
        }
        if (rest != 0 || names.isEmpty()) {
            names.add("0x" + Integer.toHexString(rest));
        }
        return String.join(",", names);
    }
}
