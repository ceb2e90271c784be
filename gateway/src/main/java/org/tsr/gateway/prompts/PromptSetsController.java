package org.tsr.gateway.prompts;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Uploads a prompt set as JSON Lines: {@code POST /api/v1/prompt-sets?name=...} with one prompt per line. */
@RestController
@RequestMapping("/api/v1/prompt-sets")
class PromptSetsController {

    private final PromptSetUpload upload;

    PromptSetsController(PromptSetUpload upload) {
        this.upload = upload;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    PromptSetUpload.Uploaded create(
            @RequestParam String name, @RequestParam(required = false) String description, HttpServletRequest request)
            throws IOException {
        return upload.upload(
                name, description, upload.limited(request.getInputStream(), request.getContentLengthLong()));
    }
}
