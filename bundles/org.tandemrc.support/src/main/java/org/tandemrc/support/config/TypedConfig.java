package org.tandemrc.support.config;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ConfigAdmin map as a component property type (an annotation interface with Metatype descriptions),
 * the keys named as Declarative Services names them: {@code idle_timeout()} reads {@code idle.timeout}.
 *
 * <p>Configuration files written before keys were dotted used hyphens ({@code idle-timeout}) or, in the
 * event log's file, camel case ({@code hostNamePattern}). Such a key is still read, with a warning naming the spelling to use; when both spellings are present the dotted
 * one wins. This is the one place that knows the old spellings, so no component keeps its own list.
 * Values are converted once, when the configuration arrives: a value that does not convert is refused
 * in {@link SettingsCheck}'s style, naming the PID, the key and the value.
 */
public final class TypedConfig {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.support.config");

    private TypedConfig() {
    }

    /**
     * @param type   the component property type
     * @param pid    the configuration PID, for messages
     * @param config the properties (may be {@code null}: every attribute takes its default)
     * @throws IllegalArgumentException when a value does not convert to its attribute's type
     */
    public static <A> A of(Class<A> type, String pid, Map<String, ?> config) {
        if (!type.isAnnotation()) {
            throw new IllegalArgumentException(type + " is not a component property type");
        }
        SettingsCheck check = new SettingsCheck(pid);
        Map<String, ?> map = config == null ? Map.of() : config;
        Map<String, Object> values = new LinkedHashMap<>();
        for (Method m : type.getDeclaredMethods()) {
            if (m.getParameterCount() != 0) {
                continue;
            }
            String key = key(m.getName());
            Object raw = map.get(key);
            if (isBlank(raw)) {
                for (String old : oldSpellings(key)) {
                    Object legacy = map.get(old);
                    if (!isBlank(legacy)) {
                        LOG.log(System.Logger.Level.WARNING, "{0}: {1} is an old spelling, write {2} instead",
                                pid, old, key);
                        raw = legacy;
                        break;
                    }
                }
            }
            Object value = isBlank(raw) ? m.getDefaultValue() : convert(check, key, raw, m.getReturnType());
            if (value == null) {
                throw check.missing(key, "no default");
            }
            values.put(m.getName(), value);
        }
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "annotationType" -> type;
            case "toString" -> type.getSimpleName() + values;
            case "hashCode" -> values.hashCode();
            case "equals" -> proxy == args[0];
            default -> copy(values.get(method.getName()));
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /**
     * The property name of an attribute method, by the Declarative Services rules: {@code $$} is a
     * dollar sign, {@code $_$} a hyphen, a lone {@code $} nothing, {@code __} an underscore, and
     * {@code _} a dot.
     */
    public static String key(String method) {
        StringBuilder b = new StringBuilder(method.length());
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c == '$') {
                if (method.startsWith("$$", i)) {
                    b.append('$');
                    i++;
                } else if (method.startsWith("$_$", i)) {
                    b.append('-');
                    i += 2;
                }
            } else if (c == '_') {
                if (method.startsWith("__", i)) {
                    b.append('_');
                    i++;
                } else {
                    b.append('.');
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code idle-timeout} and {@code idleTimeout} for {@code idle.timeout}: what files said before. */
    static List<String> oldSpellings(String key) {
        if (key.indexOf('.') < 0) {
            return List.of();
        }
        StringBuilder camel = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '.') {
                up = true;
            } else {
                camel.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return List.of(key.replace('.', '-'), camel.toString());
    }

    private static boolean isBlank(Object v) {
        return v == null || (v instanceof String s && s.isBlank());
    }

    private static Object copy(Object v) {
        if (v != null && v.getClass().isArray()) {
            int n = Array.getLength(v);
            Object c = Array.newInstance(v.getClass().getComponentType(), n);
            System.arraycopy(v, 0, c, 0, n);
            return c;
        }
        return v;
    }

    private static Object convert(SettingsCheck check, String key, Object raw, Class<?> to) {
        if (to.isArray()) {
            List<Object> items = new ArrayList<>();
            if (raw.getClass().isArray()) {
                for (int i = 0; i < Array.getLength(raw); i++) {
                    items.add(Array.get(raw, i));
                }
            } else if (raw instanceof Collection<?> c) {
                items.addAll(c);
            } else {
                for (String s : String.valueOf(raw).split(",")) {
                    if (!s.isBlank()) {
                        items.add(s.trim());
                    }
                }
            }
            Object array = Array.newInstance(to.getComponentType(), items.size());
            for (int i = 0; i < items.size(); i++) {
                Array.set(array, i, convert(check, key, items.get(i), to.getComponentType()));
            }
            return array;
        }
        Object single = raw.getClass().isArray() ? (Array.getLength(raw) == 0 ? "" : Array.get(raw, 0)) : raw;
        String text = String.valueOf(single).trim();
        try {
            if (to == String.class) {
                return text;
            } else if (to == int.class) {
                return single instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.parseInt(text);
            } else if (to == long.class) {
                return single instanceof Number n ? n.longValue() : Long.parseLong(text);
            } else if (to == double.class) {
                return single instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
            } else if (to == boolean.class) {
                // As Declarative Services converts: anything but "true" is false.
                return single instanceof Boolean b ? b : Boolean.parseBoolean(text);
            } else if (to.isEnum()) {
                for (Object constant : to.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(text)) {
                        return constant;
                    }
                }
                throw check.invalid(key, single, "is not one of " + List.of(to.getEnumConstants()));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw check.invalid(key, single, to == double.class ? "is not a number" : "is not a whole number");
        }
        throw new IllegalArgumentException(check.pid() + ": " + key + " has a type this reader does not know: " + to);
    }
}
