package dev.conductor.samples.orders;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** HTTP endpoints: submit an order, read one order's status, list the latest orders. */
@RestController
@RequestMapping("/orders")
class OrderController {

    private static final int RECENT = 50;

    private final WebApi api;

    OrderController(WebApi api) {
        this.api = api;
    }

    /** Accepted, not done: a worker processes the order asynchronously, hence 202 and where to look. */
    @PostMapping
    ResponseEntity<Order> submit(@RequestBody OrderRequest request) {
        request.validate();
        Order order = api.submit(request.item(), request.quantity());
        return ResponseEntity.accepted().location(URI.create("/orders/" + order.id())).body(order);
    }

    @GetMapping("/{id}")
    Order find(@PathVariable String id) {
        return api.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
    }

    @GetMapping
    List<Order> recent() {
        return api.recent(RECENT);
    }
}
