package org.tsr.store.access;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

/** An API key of the public API, known by the hash of its secret. */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;
    private String keyHash;

    @Enumerated(EnumType.STRING)
    private ApiKeyRole role;

    private Instant createdAt = Instant.now();
    private Instant revokedAt;

    protected ApiKey() {}

    public ApiKey(String name, String keyHash, ApiKeyRole role) {
        this.name = Objects.requireNonNull(name, "name");
        this.keyHash = Objects.requireNonNull(keyHash, "keyHash");
        this.role = Objects.requireNonNull(role, "role");
    }

    public void revoke() {
        if (revokedAt == null) {
            revokedAt = Instant.now();
        }
    }

    public boolean isActive() {
        return revokedAt == null;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getKeyHash() {
        return keyHash;
    }

    public ApiKeyRole getRole() {
        return role;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }
}
