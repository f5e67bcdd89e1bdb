package org.tandemrc.api.security;

/**
 * What a Guest may do on a Host. A security role is a set of privileges; a Guest with several roles
 * has the union of their privileges. Session types and tools name the privileges they need.
 */
public enum Privilege {
    /** See the Host's screen. */
    VIEW_SCREEN,
    /** Use the Host's keyboard and mouse during remote control. */
    CONTROL_INPUT,
    /** Lock the Host's local keyboard and mouse during remote control. */
    LOCK_INPUT,
    /** Blank the Host's screen during remote control. */
    BLANK_SCREEN,
    /** Read and write the Host's clipboard. */
    CLIPBOARD,
    /** Copy files to and from the Host. */
    TRANSFER_FILES,
    /** Chat with the person at the Host. */
    CHAT,
    /** Talk to the person at the Host. */
    AUDIO,
    /** Send a one-way message to the Host. */
    SEND_MESSAGE,
    /** Show the Guest's screen to the Host (demonstrate). */
    DEMONSTRATE,
    /** Read the Host's hardware and software inventory. */
    INVENTORY,
    /** Start a program on the Host. */
    RUN_PROGRAM,
    /** Run a command on the Host and read its output. */
    EXECUTE_COMMAND,
    /** Use remote management tools (processes, services, event log, ...). */
    REMOTE_MANAGEMENT,
    /** Open tunnels to ports on or behind the Host. */
    TUNNEL,
    /** Print Host documents on a Guest printer. */
    REDIRECT_PRINT
}
