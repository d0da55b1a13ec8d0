package io.stasis.cli;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** The few libc calls needed to hand this process over to another program (x86-64 glibc). */
interface LibC extends Library {

    int SIG_SETMASK = 2;
    int F_GETFD = 1;
    int F_SETFD = 2;
    int FD_CLOEXEC = 1;
    /** sizeof(sigset_t) in glibc. */
    int SIGSET_SIZE = 128;
    /** sizeof(struct sigaction) in glibc on x86-64 is 152; a little room does no harm. */
    int SIGACTION_SIZE = 256;
    long SIG_IGN = 1;
    int PR_SET_PDEATHSIG = 1;

    int execve(String path, String[] argv, String[] envp) throws LastErrorException;

    int pipe(int[] fds) throws LastErrorException;

    long write(int fd, byte[] buffer, long count) throws LastErrorException;

    int close(int fd);

    int pthread_sigmask(int how, Pointer set, Pointer oldSet);

    int sigaction(int signal, Pointer action, Pointer oldAction);

    Pointer signal(int signal, Pointer handler);

    int fcntl(int fd, int command, int argument);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5);
}
