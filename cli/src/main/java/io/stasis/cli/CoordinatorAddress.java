package io.stasis.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;

/** Where a coordinator is (or should be). */
public record CoordinatorAddress(String host, int port) {

    public CoordinatorAddress {
        if (port < 1 || port > 65535) {
            throw new CliException(ExitCodes.USAGE, "coordinator port must be 1..65535, not " + port);
        }
    }

    /** True when {@code host} names this machine, so a missing coordinator can be started here. */
    public boolean isLocal() {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException e) {
            throw new CliException(ExitCodes.COORDINATOR, "unknown coordinator host " + host);
        } catch (IOException e) {
            return false;
        }
    }

    /** True for 127.0.0.0/8, ::1 and "localhost": a coordinator started for it binds the loopback address. */
    public boolean isLoopback() {
        return isLoopback(host);
    }

    /** {@link #isLoopback()} of a host name or address. */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
