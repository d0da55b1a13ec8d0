package io.stasis.coordinator.protocol;

/** One frame of docs/protocol.md; each implementation writes its own body, field by field. */
public sealed interface Message
        permits Challenge, Auth, AuthOk, ErrorReply, Register, Welcome, Checkpoint, Barrier, Release, Abort,
                CkptResult, Progress, Kill, Bye, Unrestored, NamePublish, NameLookup, NameValue, Command, CommandResult {

    MessageType type();

    void writeBody(BodyWriter out);
}
