package org.tandemrc.webconnect.store;

import java.sql.SQLException;

import org.tandemrc.support.jdbc.Database;

/**
 * The WebConnect database ({@link Database}): each component (manager, relay) owns one store.
 *
 * <p>Schema (created when missing, same SQL on both databases):
 * <pre>
 * wc_account(name PK, verifier, max_connections, created)
 * wc_manager(id PK, public_key, address, heartbeat)
 * wc_relay(id PK, address, sessions, heartbeat, info)
 * wc_host(account, name, manager_id, instance, registered, PK(account, name))
 * wc_pairing(id PK, account, host_name, relay_id, created)
 * wc_offer(id PK, manager_id, account, host_name, pairing_id, resume, relay_id, relay_address, token, created)
 * wc_ticket(code PK, account, host_name, expires)
 * wc_support(code PK, account, supporter, created, code_expires, lifetime_minutes, activated, ends,
 *            host_name, host_instance, state, link_token)   state: waiting, active (activated and ends set), ended
 * wc_secret(name PK, content, created)   keys the managers share, e.g. the one sealing Hosts' resumption tickets
 * </pre>
 * A column added to a table that already exists is added by an {@code alter table ... add column if not
 * exists} after the tables (both databases know it), so a database made by an older node is brought up
 * to date in place.
 */
public final class Store extends Database {

    private static final String[] SCHEMA = {
        "create table if not exists wc_account (name varchar(64) primary key, verifier varchar(4000) not null,"
            + " max_connections int not null, created bigint not null)",
        "create table if not exists wc_manager (id varchar(64) primary key, public_key varchar(200) not null,"
            + " address varchar(200) not null, heartbeat bigint not null)",
        "create table if not exists wc_relay (id varchar(64) primary key, address varchar(200) not null,"
            + " sessions int not null, heartbeat bigint not null, info varchar(400) not null)",
        "create table if not exists wc_host (account varchar(64) not null, name varchar(64) not null,"
            + " manager_id varchar(64) not null, instance varchar(64) not null, registered bigint not null,"
            + " primary key (account, name))",
        "create table if not exists wc_pairing (id varchar(32) primary key, account varchar(64) not null,"
            + " host_name varchar(64) not null, relay_id varchar(64) not null, created bigint not null)",
        "create table if not exists wc_offer (id varchar(32) primary key, manager_id varchar(64) not null,"
            + " account varchar(64) not null, host_name varchar(64) not null, pairing_id varchar(32) not null,"
            + " resume int not null, relay_id varchar(64) not null, relay_address varchar(200) not null,"
            + " token varchar(2000) not null, created bigint not null)",
        "create table if not exists wc_ticket (code varchar(32) primary key, account varchar(64) not null,"
            + " host_name varchar(64) not null, expires bigint not null)",
        "create table if not exists wc_support (code varchar(16) primary key, account varchar(64) not null,"
            + " supporter varchar(200) not null, created bigint not null, code_expires bigint not null,"
            + " lifetime_minutes int not null, activated bigint not null, ends bigint not null,"
            + " host_name varchar(64) not null, host_instance varchar(64) not null, state varchar(16) not null,"
            + " link_token varchar(64) not null default '')",
        // wc_support tables made before the support page had no link token.
        "alter table wc_support add column if not exists link_token varchar(64) not null default ''",
        "create index if not exists wc_support_link on wc_support (link_token)",
        "create index if not exists wc_offer_manager on wc_offer (manager_id)",
        "create index if not exists wc_pairing_account on wc_pairing (account)",
        "create table if not exists wc_secret (name varchar(64) primary key, content varchar(200) not null,"
            + " created bigint not null)",
    };

    /**
     * @param url      {@code jdbc:h2:...} or {@code jdbc:postgresql://...}
     * @param user     database user, may be empty
     * @param password database password, may be empty
     */
    public Store(String url, String user, String password) throws SQLException {
        super(url, user, password, SCHEMA);
    }
}
