package org.tsr.gateway.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.tsr.store.access.ApiKey;
import org.tsr.store.access.ApiKeyRepository;
import org.tsr.store.access.ApiKeyRole;

/**
 * Issues, checks and revokes API keys. A key is 32 random bytes, shown once; the store keeps its SHA-256 hash, which
 * is enough for secrets of that strength and lets a request's key be found with one indexed lookup.
 */
@Service
public class ApiKeys {

    private static final String PREFIX = "tsr_";

    private final ApiKeyRepository keys;
    private final AccessProperties properties;
    private final SecureRandom random = new SecureRandom();

    ApiKeys(ApiKeyRepository keys, AccessProperties properties) {
        this.keys = keys;
        this.properties = properties;
    }

    /** A new key and its secret, which is not stored anywhere. */
    public record Issued(long id, String name, ApiKeyRole role, String key) {}

    @Transactional
    public Issued issue(String name, ApiKeyRole role) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey saved = keys.save(new ApiKey(name, hash(key), role));
        return new Issued(saved.getId(), name, role, key);
    }

    /** The active key a request presented, if any. */
    @Transactional(readOnly = true)
    public Optional<ApiKey> find(String presented) {
        return keys.findByKeyHash(hash(presented)).filter(ApiKey::isActive);
    }

    /** Whether some active key may manage the others; a fresh installation has none. */
    @Transactional(readOnly = true)
    public boolean hasActiveAdmin() {
        return keys.findAll().stream().anyMatch(key -> key.isActive() && key.getRole() == ApiKeyRole.ADMIN);
    }

    public List<ApiKey> list() {
        return keys.findAll();
    }

    @Transactional
    public boolean revoke(long id) {
        return keys.findById(id)
                .map(key -> {
                    key.revoke();
                    keys.save(key);
                    return true;
                })
                .orElse(false);
    }

    /** Registers the configured bootstrap admin key, so that a fresh installation can create the others. */
    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    public void registerBootstrapKey() {
        String bootstrap = properties.bootstrapAdminKey();
        if (bootstrap != null
                && !bootstrap.isBlank()
                && keys.findByKeyHash(hash(bootstrap)).isEmpty()) {
            keys.save(new ApiKey("bootstrap admin", hash(bootstrap), ApiKeyRole.ADMIN));
        }
    }

    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
