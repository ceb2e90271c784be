package org.tsr.gateway.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.tsr.store.access.ApiKey;
import org.tsr.store.access.ApiKeyRole;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code /api/v1} request needs an active API key as a bearer token; a READ_ONLY key may only read (GET and
 * HEAD). Health, metrics and the API description stay open.
 */
@Component
class ApiKeyFilter extends OncePerRequestFilter {

    private final ApiKeys keys;
    private final AccessProperties properties;
    private final JsonMapper json = JsonMapper.builder().build();

    ApiKeyFilter(ApiKeys keys, AccessProperties properties) {
        this.keys = keys;
        this.properties = properties;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !properties.enabled() || !request.getRequestURI().startsWith("/api/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            refuse(response, HttpStatus.UNAUTHORIZED, "send an API key as 'Authorization: Bearer <key>'");
            return;
        }
        Optional<ApiKey> key = keys.find(header.substring("Bearer ".length()).strip());
        if (key.isEmpty()) {
            refuse(response, HttpStatus.UNAUTHORIZED, "the API key is unknown or revoked");
            return;
        }
        boolean reads = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        if (key.get().getRole() == ApiKeyRole.READ_ONLY && !reads) {
            refuse(response, HttpStatus.FORBIDDEN, "API key '" + key.get().getName() + "' is read-only");
            return;
        }
        request.setAttribute(ApiKey.class.getName(), key.get());
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        response.getWriter().write(json.writeValueAsString(problem));
    }
}
