package org.tandemrc.auth.ldap.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP server for tests: Debian's {@code slapd} with a configuration of its own (slapd.conf in
 * the test's folder), an mdb database there, the cosine, inetOrgPerson and NIS schemas, the memberOf and
 * password-policy overlays, LDAP and LDAPS (a CA and a certificate for {@code localhost} made with
 * openssl) on free loopback ports; loaded with {@code ldapadd}.
 *
 * <p>{@link #loadPeople()} adds the users the tests share: alice in tandem-admins, bob in helpdesk,
 * carol in no group, dave in tandem-admins but locked, and {@code uid=admin,ou=x,ou=people} to show that a
 * name cannot add RDNs; each user's password is {@code NAME-pw}. The service account
 * {@code cn=reader,dc=example,dc=org} has password {@code reader-pw}.
 */
public final class Slapd implements AutoCloseable {

    public static final String BASE = "dc=example,dc=org";
    public static final String ROOT_DN = "cn=admin," + BASE;
    public static final String READER_DN = "cn=reader," + BASE;
    public static final String PEOPLE = "ou=people," + BASE;
    public static final String GROUPS = "ou=groups," + BASE;
    private static final String ROOT_PW = "root-secret";

    private final Path dir;
    private final Process process;
    private final int port;
    private final int ldapsPort;

    private Slapd(Path dir, Process process, int port, int ldapsPort) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.ldapsPort = ldapsPort;
    }

    /** Starts a server with its files under {@code dir}; returns once it answers. */
    public static Slapd start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("db"));
        certificates(dir);
        String conf = """
                include /etc/ldap/schema/core.schema
                include /etc/ldap/schema/cosine.schema
                include /etc/ldap/schema/inetorgperson.schema
                include /etc/ldap/schema/nis.schema
                modulepath /usr/lib/ldap
                moduleload back_mdb
                moduleload memberof
                moduleload ppolicy
                pidfile DIR/slapd.pid
                argsfile DIR/slapd.args
                TLSCACertificateFile DIR/ca.pem
                TLSCertificateFile DIR/server.pem
                TLSCertificateKeyFile DIR/server.key
                database mdb
                maxsize 104857600
                suffix "BASE"
                rootdn "ROOTDN"
                rootpw ROOTPW
                directory DIR/db
                overlay memberof
                memberof-group-oc groupOfNames
                memberof-member-ad member
                memberof-memberof-ad memberOf
                overlay ppolicy
                ppolicy_default "cn=default,ou=policies,BASE"
                access to attrs=userPassword by anonymous auth by * none
                access to * by users read by * none
                """.replace("DIR", dir.toString()).replace("ROOTDN", ROOT_DN).replace("BASE", BASE)
                .replace("ROOTPW", ROOT_PW);
        Path file = dir.resolve("slapd.conf");
        Files.writeString(file, conf);
        run(dir, "/usr/sbin/slaptest", "-u", "-f", file.toString());
        int port = freePort();
        int ldapsPort = freePort();
        Process p = new ProcessBuilder("/usr/sbin/slapd", "-d", "0", "-f", file.toString(), "-h",
                "ldap://127.0.0.1:" + port + "/ ldaps://127.0.0.1:" + ldapsPort + "/")
                .redirectErrorStream(true).redirectOutput(dir.resolve("slapd.log").toFile()).start();
        Slapd s = new Slapd(dir, p, port, ldapsPort);
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    s.close();
                    throw new IOException("slapd did not start: " + Files.readString(dir.resolve("slapd.log")));
                }
                Thread.sleep(100);
            }
        }
        s.ldapadd("""
                dn: BASE
                objectClass: dcObject
                objectClass: organization
                dc: example
                o: Example

                dn: ou=policies,BASE
                objectClass: organizationalUnit
                ou: policies

                dn: cn=default,ou=policies,BASE
                objectClass: pwdPolicy
                objectClass: device
                cn: default
                pwdAttribute: userPassword
                pwdLockout: TRUE
                """.replace("BASE", BASE));
        return s;
    }

    /** Adds the users and groups the class comment lists. */
    public void loadPeople() throws IOException, InterruptedException {
        StringBuilder ldif = new StringBuilder("""
                dn: PEOPLE
                objectClass: organizationalUnit
                ou: people

                dn: GROUPS
                objectClass: organizationalUnit
                ou: groups

                dn: READER
                objectClass: person
                cn: reader
                sn: reader
                userPassword: reader-pw

                dn: ou=x,PEOPLE
                objectClass: organizationalUnit
                ou: x

                """.replace("PEOPLE", PEOPLE).replace("GROUPS", GROUPS).replace("READER", READER_DN));
        for (String[] user : new String[][] {{"alice", ""}, {"bob", ""}, {"carol", ""}, {"dave", ""},
            {"admin", "ou=x,"}}) {
            ldif.append(person(user[0], user[1] + PEOPLE));
        }
        ldif.append(group("tandem-admins", "alice", "dave")).append(group("helpdesk", "bob"))
                .append(group("staff", "alice", "bob", "carol"));
        ldapadd(ldif.toString());
        // Locked for good by the password policy: the directory refuses its bind, whatever the password.
        ldapmodify("""
                dn: uid=dave,PEOPLE
                changetype: modify
                add: pwdAccountLockedTime
                pwdAccountLockedTime: 000001010000Z
                """.replace("PEOPLE", PEOPLE), true);
    }

    private static String person(String uid, String under) {
        return "dn: uid=" + uid + "," + under + "\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\nuid: " + uid
                + "\ncn: " + uid + "\nsn: " + uid + "\nuidNumber: 10000\ngidNumber: 10000\nhomeDirectory: /home/" + uid
                + "\nuserPassword: " + uid + "-pw\n\n";
    }

    private static String group(String cn, String... uids) {
        StringBuilder b = new StringBuilder("dn: cn=" + cn + "," + GROUPS + "\nobjectClass: groupOfNames\ncn: " + cn + "\n");
        for (String uid : uids) {
            b.append("member: uid=").append(uid).append(',').append(PEOPLE).append('\n');
        }
        return b.append('\n').toString();
    }

    /** {@code ldap://127.0.0.1:PORT} */
    public String url() {
        return "ldap://127.0.0.1:" + port;
    }

    /** The LDAPS port; its certificate names {@code localhost} only. */
    public int ldapsPort() {
        return ldapsPort;
    }

    /** The PEM file of the CA that signed the server's certificate. */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** Runs {@code ldapadd} as the directory's administrator. */
    public void ldapadd(String ldif) throws IOException, InterruptedException {
        modify("ldapadd", ldif, false);
    }

    /** Runs {@code ldapmodify} as the directory's administrator, with the Relax control when {@code relax}. */
    public void ldapmodify(String ldif, boolean relax) throws IOException, InterruptedException {
        modify("ldapmodify", ldif, relax);
    }

    private void modify(String tool, String ldif, boolean relax) throws IOException, InterruptedException {
        Path f = Files.createTempFile(dir, tool, ".ldif");
        Files.writeString(f, ldif);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/" + tool, "-x", "-H", url(), "-D", ROOT_DN, "-w", ROOT_PW,
                "-f", f.toString()));
        if (relax) {
            cmd.addAll(List.of("-e", "relax"));
        }
        run(dir, cmd.toArray(String[]::new));
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** A CA, and a certificate for localhost (no IP address) that it signed. */
    private static void certificates(Path dir) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost\n");
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Tandem test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** What slapd printed (its log), for failure messages. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("slapd.log"));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
