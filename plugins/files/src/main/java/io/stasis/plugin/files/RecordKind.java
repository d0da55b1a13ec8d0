package io.stasis.plugin.files;

/** The record kinds of plugins/files/native/files.h ({@code enum files_record_kind}). */
final class RecordKind {

    static final int FILE_STATE = 1;
    static final int UNLINKED = 2;
    static final int MEMFD = 3;
    static final int FIFO = 4;
    static final int EVENTFD = 5;
    static final int EPOLL = 6;
    static final int SIGNALFD = 7;
    static final int TIMERFD = 8;
    static final int INOTIFY = 9;

    private static final String[] NAMES = {"", "FILE_STATE", "UNLINKED", "MEMFD", "FIFO", "EVENTFD", "EPOLL",
        "SIGNALFD", "TIMERFD", "INOTIFY"};

    private RecordKind() {
    }

    static String name(int kind) {
        return kind > 0 && kind < NAMES.length ? NAMES[kind] : "kind " + kind;
    }
}
