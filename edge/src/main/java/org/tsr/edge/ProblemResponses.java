package org.tsr.edge;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problem details for what the security filters refuse before any controller runs: 401 (no or a bad
 * credential), 403 (a credential without the right), 400 (a request path the strict firewall rejects, such as one
 * with matrix parameters, encoded slashes or dot segments).
 */
public final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private final JsonMapper json = JsonMapper.builder().build();
    private final Function<HttpServletRequest, String> forbiddenDetail;

    /** Refusals whose 403 says only that the credential lacks the right. */
    public ProblemResponses() {
        this(request -> "this credential may not do that");
    }

    /** @param forbiddenDetail what a 403 tells the caller, given its request (the caller is authenticated by then) */
    public ProblemResponses(Function<HttpServletRequest, String> forbiddenDetail) {
        this.forbiddenDetail = forbiddenDetail;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        String detail = request.getHeader(HttpHeaders.AUTHORIZATION) == null
                ? "send a key as 'Authorization: Bearer <key>'"
                : e.getMessage();
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        write(response, HttpStatus.UNAUTHORIZED, detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(response, HttpStatus.FORBIDDEN, forbiddenDetail.apply(request));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        write(response, HttpStatus.BAD_REQUEST, "the request path is not in normal form: " + e.getMessage());
    }

    private void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        response.setCharacterEncoding(StandardCharsets.UTF_8);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        response.getWriter().write(json.writeValueAsString(problem));
    }
}
