package org.tsr.store;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest application that holds the store, for the store's own tests. */
@SpringBootApplication
public class StoreTestApplication {}
