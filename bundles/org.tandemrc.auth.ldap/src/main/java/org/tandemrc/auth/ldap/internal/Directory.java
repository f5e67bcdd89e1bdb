package org.tandemrc.auth.ldap.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.naming.AuthenticationException;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.naming.ldap.StartTlsRequest;
import javax.naming.ldap.StartTlsResponse;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.tandemrc.support.auth.GroupRoles;
import org.tandemrc.support.tls.Certificates;

/**
 * One directory as the settings describe it: finds a user's DN (a template or a search), binds as the
 * user with the password, reads the user's groups and whether the account is disabled. Every call opens
 * its own connection and closes it; nothing of a password outlives the call.
 */
final class Directory {

    /** Searches answer at most this many entries: a user search needs one, a group search a bounded few. */
    private static final int MAX_RESULTS = 500;

    private final LdapConfig config;
    private final GroupRoles roles;
    private final SSLSocketFactory tls;
    private final List<String> disabled;
    private final SecureRandom random;

    /** @throws IllegalArgumentException when a setting cannot work; the message names it */
    Directory(LdapConfig config, SecureRandom random) {
        this.config = config;
        this.random = random;
        String url = config.url().trim().toLowerCase(Locale.ROOT);
        if (!url.startsWith("ldap://") && !url.startsWith("ldaps://")) {
            throw new IllegalArgumentException(LdapAuthenticator.PID + ": url=" + config.url()
                    + " is not ldap://HOST:PORT or ldaps://HOST:PORT");
        }
        if (config.starttls() && url.startsWith("ldaps://")) {
            throw new IllegalArgumentException(LdapAuthenticator.PID + ": starttls=true needs an ldap:// url");
        }
        if (config.user_dn().isBlank() && config.user_base().isBlank()) {
            throw new IllegalArgumentException(LdapAuthenticator.PID + ": give user.dn (a template with {0}) or"
                    + " user.base (to search for the user)");
        }
        if (!config.user_dn().isBlank() && !config.user_dn().contains("{0}")) {
            throw new IllegalArgumentException(LdapAuthenticator.PID + ": user.dn=" + config.user_dn() + " lacks {0}");
        }
        try {
            roles = GroupRoles.parse(config.role_map());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(LdapAuthenticator.PID + ": role.map: " + e.getMessage());
        }
        tls = url.startsWith("ldaps://") || config.starttls() ? tls(config.ca_file().trim()) : null;
        disabled = Arrays.stream(config.disabled_attributes().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }

    private static SSLSocketFactory tls(String caFile) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile.isEmpty()) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (X509Certificate ca : Certificates.certificates(Path.of(caFile))) {
                    store.setCertificateEntry("ca-" + i++, ca);
                }
                if (i == 0) {
                    throw new IllegalArgumentException(LdapAuthenticator.PID + ": ca.file=" + caFile
                            + " holds no certificate");
                }
                tmf.init(store);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(LdapAuthenticator.PID + ": ca.file=" + caFile + " cannot be used: "
                    + e.getMessage());
        }
    }

    /** The outcome of one check: the identity's groups, or why not (for the node's log, never the Guest). */
    record Outcome(Optional<Set<String>> groups, String failure) {
        static Outcome denied(String why) {
            return new Outcome(Optional.empty(), why);
        }
    }

    /**
     * Checks {@code password} for {@code user}. A name the directory does not know costs a bind with a DN
     * that cannot exist, as a wrong password does.
     */
    Outcome check(String user, char[] password) {
        try {
            Optional<String> dn = userDn(user);
            String bindDn = dn.orElseGet(this::decoyDn);
            try (Connection c = open(bindDn, password)) {
                Attributes a = c.ctx.getAttributes(new LdapName(bindDn), attributes());
                if (dn.isEmpty()) {
                    return Outcome.denied("unknown user"); // a decoy that bound: never, but never granted either
                }
                for (String name : disabled) {
                    Attribute v = a.get(name);
                    if (v != null && !"false".equalsIgnoreCase(String.valueOf(v.get()))) {
                        return Outcome.denied("account disabled (" + name + ")");
                    }
                }
                Set<String> groups = groups(c.ctx, a, user, bindDn);
                Optional<Set<String>> identity = roles.identityGroups(groups, config.group_prefix());
                return identity.isPresent() ? new Outcome(identity, "")
                        : Outcome.denied("no group of " + groups + " is in role.map");
            } catch (AuthenticationException e) {
                return Outcome.denied(dn.isEmpty() ? "unknown user"
                        : "the directory refused the bind (wrong password, or a locked or disabled account)");
            }
        } catch (NamingException e) {
            // The message is the directory's or the runtime's, about the connection: never a password.
            return Outcome.denied("the directory cannot be used: " + e);
        }
    }

    private String[] attributes() {
        List<String> names = new ArrayList<>(disabled);
        if (!config.group_attribute().isBlank()) {
            names.add(config.group_attribute().trim());
        }
        return names.toArray(String[]::new);
    }

    /** The user's DN: from the template, or the one entry the service account's search finds. */
    private Optional<String> userDn(String user) throws NamingException {
        if (!config.user_dn().isBlank()) {
            return Optional.of(config.user_dn().trim().replace("{0}", Rdn.escapeValue(user)));
        }
        try (Connection c = open(config.bind_dn().trim(), config.bind_password().toCharArray())) {
            SearchControls sc = new SearchControls(SearchControls.SUBTREE_SCOPE, 2, 0, new String[0], false, false);
            // JNDI escapes {0} as RFC 4515 says: a name cannot add to the filter.
            NamingEnumeration<SearchResult> found = c.ctx.search(config.user_base().trim(), config.user_filter(),
                    new Object[] {user}, sc);
            List<String> dns = new ArrayList<>();
            try {
                while (found.hasMore() && dns.size() < 2) {
                    dns.add(found.next().getNameInNamespace());
                }
            } catch (javax.naming.SizeLimitExceededException e) {
                return Optional.empty(); // two entries for one name: neither is the user
            }
            return dns.size() == 1 ? Optional.of(dns.get(0)) : Optional.empty();
        }
    }

    /** A DN under the user base that no entry has: what an unknown name binds as. */
    private String decoyDn() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        String base = config.user_base().isBlank() ? "dc=invalid" : config.user_base().trim();
        return "cn=tandem-decoy-" + java.util.HexFormat.of().formatHex(b) + "," + base;
    }

    /** The user's groups, by name: from its group attribute, and from a group search when one is set. */
    private Set<String> groups(LdapContext ctx, Attributes a, String user, String dn) throws NamingException {
        Set<String> groups = new LinkedHashSet<>();
        Attribute member = config.group_attribute().isBlank() ? null : a.get(config.group_attribute().trim());
        if (member != null) {
            for (int i = 0; i < member.size() && i < MAX_RESULTS; i++) {
                name(String.valueOf(member.get(i))).ifPresent(groups::add);
            }
        }
        if (!config.group_base().isBlank()) {
            SearchControls sc = new SearchControls(SearchControls.SUBTREE_SCOPE, MAX_RESULTS, 0, new String[0],
                    false, false);
            String filter = config.group_filter().replace("{dn}", "{1}");
            NamingEnumeration<SearchResult> found = ctx.search(config.group_base().trim(), filter,
                    new Object[] {user, dn}, sc);
            try {
                while (found.hasMore()) {
                    name(found.next().getNameInNamespace()).ifPresent(groups::add);
                }
            } catch (javax.naming.SizeLimitExceededException e) {
                // more groups than anyone needs: those read so far decide
            }
        }
        return groups;
    }

    /** A group's name: the value of its DN's naming attribute ({@code cn=helpdesk,ou=groups,...} gives helpdesk). */
    private Optional<String> name(String dn) {
        try {
            LdapName n = new LdapName(dn);
            for (int i = n.size() - 1; i >= 0; i--) {
                Rdn r = n.getRdn(i);
                if (r.getType().equalsIgnoreCase(config.group_name_attribute().trim())) {
                    return Optional.of(String.valueOf(r.getValue()));
                }
            }
        } catch (NamingException | IllegalArgumentException e) {
            // not a DN: not a group
        }
        return Optional.empty();
    }

    /** One connection bound as {@code dn}; an empty DN is an anonymous one. */
    private final class Connection implements AutoCloseable {
        final LdapContext ctx;
        private StartTlsResponse startTls;

        Connection(String dn, char[] password) throws NamingException {
            Hashtable<String, Object> env = new Hashtable<>();
            env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
            env.put(Context.PROVIDER_URL, config.url().trim());
            env.put("com.sun.jndi.ldap.connect.timeout", Integer.toString(config.timeout_connect()));
            env.put("com.sun.jndi.ldap.read.timeout", Integer.toString(config.timeout_read()));
            env.put(Context.REFERRAL, "ignore");
            boolean ldaps = config.url().trim().toLowerCase(Locale.ROOT).startsWith("ldaps://");
            if (ldaps) {
                env.put("java.naming.ldap.factory.socket", TrustedSocketFactory.class.getName());
            }
            boolean bind = !dn.isEmpty();
            if (bind && !config.starttls()) {
                credentials(env, dn, password);
            } else {
                env.put(Context.SECURITY_AUTHENTICATION, "none");
            }
            Thread t = Thread.currentThread();
            ClassLoader before = t.getContextClassLoader();
            // JNDI loads the context factory (the runtime's) and the socket factory (this bundle's) by name
            // through the context class loader: give it one that sees both.
            t.setContextClassLoader(LOADER);
            TrustedSocketFactory.USE.set(tls);
            try {
                ctx = new InitialLdapContext(env, null);
                if (config.starttls()) {
                    try {
                        startTls = (StartTlsResponse) ctx.extendedOperation(new StartTlsRequest());
                        startTls.negotiate(tls);
                    } catch (IOException | NamingException e) {
                        close();
                        throw (NamingException) new javax.naming.CommunicationException("StartTLS failed: " + e)
                                .initCause(e);
                    }
                    if (bind) {
                        // The bind goes over the TLS session with the next operation.
                        credentials(ctx, dn, password);
                    }
                }
            } finally {
                TrustedSocketFactory.USE.remove();
                t.setContextClassLoader(before);
            }
        }

        @Override
        public void close() {
            try {
                if (startTls != null) {
                    startTls.close();
                }
            } catch (IOException e) {
                // closing anyway
            }
            try {
                ctx.close();
            } catch (NamingException | NullPointerException e) {
                // closing anyway
            }
        }
    }

    private Connection open(String dn, char[] password) throws NamingException {
        return new Connection(dn, password);
    }

    private static void credentials(Hashtable<String, Object> env, String dn, char[] password) {
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, dn);
        // A char[] (sent as UTF-8): no String copy of the password in the heap.
        env.put(Context.SECURITY_CREDENTIALS, password);
    }

    private static void credentials(LdapContext ctx, String dn, char[] password) throws NamingException {
        ctx.addToEnvironment(Context.SECURITY_AUTHENTICATION, "simple");
        ctx.addToEnvironment(Context.SECURITY_PRINCIPAL, dn);
        ctx.addToEnvironment(Context.SECURITY_CREDENTIALS, password);
    }

    /** This bundle's classes first, then the runtime's (where JNDI's LDAP provider lives). */
    private static final ClassLoader LOADER = new ClassLoader(Directory.class.getClassLoader()) {
        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            return Class.forName(name, false, ClassLoader.getSystemClassLoader());
        }
    };
}
