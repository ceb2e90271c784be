package org.tsr.gateway.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.tsr.gateway.runs.RunProblem;
import org.tsr.store.access.ApiKey;
import org.tsr.store.access.ApiKeyRole;

/** Admin keys manage API keys; the secret of a new key is in the answer to its creation and nowhere else. */
@RestController
@RequestMapping("/api/v1/api-keys")
class ApiKeysController {

    private final ApiKeys keys;
    private final AccessProperties properties;

    ApiKeysController(ApiKeys keys, AccessProperties properties) {
        this.keys = keys;
        this.properties = properties;
    }

    record CreateKeyRequest(@NotBlank String name, @NotNull ApiKeyRole role) {}

    record KeyView(long id, String name, ApiKeyRole role, Instant createdAt, Instant revokedAt) {}

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ApiKeys.Issued create(@Valid @RequestBody CreateKeyRequest request, HttpServletRequest http) {
        requireAdmin(http);
        return keys.issue(request.name(), request.role());
    }

    @GetMapping
    List<KeyView> list(HttpServletRequest http) {
        requireAdmin(http);
        return keys.list().stream()
                .map(k -> new KeyView(k.getId(), k.getName(), k.getRole(), k.getCreatedAt(), k.getRevokedAt()))
                .toList();
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable long id, HttpServletRequest http) {
        requireAdmin(http);
        if (!keys.revoke(id)) {
            throw new RunProblem(HttpStatus.NOT_FOUND, "id", "API key " + id + " does not exist");
        }
    }

    private void requireAdmin(HttpServletRequest http) {
        // GatewaySecurity already refuses other keys; checked again here so that no other path reaches key management
        Optional<ApiKey> caller = GatewaySecurity.caller();
        if (properties.enabled() && (caller.isEmpty() || caller.get().getRole() != ApiKeyRole.ADMIN)) {
            throw new RunProblem(HttpStatus.FORBIDDEN, null, "managing API keys needs an ADMIN key");
        }
    }
}
