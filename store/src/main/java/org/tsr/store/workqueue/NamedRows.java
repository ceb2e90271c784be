package org.tsr.store.workqueue;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The rows a work unit's payload names by id. */
public final class NamedRows {

    private NamedRows() {}

    /**
     * The rows found for {@code ids}, in the payload's order.
     *
     * @param what the rows' name in the error, e.g. "prompts"
     * @throws PermanentWorkFailure naming every id that has no row: a retry cannot bring them back
     */
    public static <T> List<T> inOrder(String what, List<Long> ids, Collection<T> found, Function<T, Long> idOf) {
        Map<Long, T> byId = found.stream().collect(Collectors.toMap(idOf, Function.identity()));
        List<Long> missing = ids.stream().filter(id -> !byId.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            throw new PermanentWorkFailure(what + " " + missing + " do not exist");
        }
        return ids.stream().map(byId::get).toList();
    }
}
