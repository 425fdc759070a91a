package dev.kiln.node.api.proxy;

import com.google.protobuf.Message;
import dev.kiln.machinery.pki.Role;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Talos's {@code nodes} metadata on the machine API: a call naming other nodes is relayed to each of them with the
 * caller's roles and its replies merged; a call naming none, or only this node, is served here as a direct call.
 */
public final class RelayInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> NODES = Metadata.Key.of("nodes", Metadata.ASCII_STRING_MARSHALLER);

    private final RelayPlan.Self self;
    private final Optional<Relay> relay;
    private final String cannotRelay;
    private final Supplier<Set<Role>> callerRoles;
    private final BooleanSupplier relayed;

    /**
     * @param relay empty when this node cannot relay (maintenance mode)
     * @param callerRoles the roles the call was authorized with, read in the call's context
     * @param relayed whether the call in the current context came relayed from another node
     */
    public RelayInterceptor(Set<String> selfHosts, int selfPort, Optional<Relay> relay,
            Supplier<Set<Role>> callerRoles, BooleanSupplier relayed) {
        this(selfHosts, selfPort, relay, RelayPlan.MAINTENANCE, callerRoles, relayed);
    }

    /** @param cannotRelay why this node relays no calls when {@code relay} is empty */
    public RelayInterceptor(Set<String> selfHosts, int selfPort, Optional<Relay> relay, String cannotRelay,
            Supplier<Set<Role>> callerRoles, BooleanSupplier relayed) {
        this.self = new RelayPlan.Self(selfHosts, selfPort);
        this.relay = relay;
        this.cannotRelay = cannotRelay;
        this.callerRoles = callerRoles;
        this.relayed = relayed;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Iterable<String> values = headers.getAll(NODES);
        if (values == null) {
            return next.startCall(call, headers);
        }
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        RelayPlan plan = RelayPlan.plan(list(values), method.getBareMethodName(), shape(method), self,
                relayed.getAsBoolean(), relay.isPresent() ? Optional.empty() : Optional.of(cannotRelay));
        if (plan instanceof RelayPlan.Local) {
            return next.startCall(call, headers);
        }
        if (plan instanceof RelayPlan.Refused refused) {
            call.close(refused.status(), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        Metadata forward = new Metadata();
        forward.put(RelayedRoles.HEADER, RelayedRoles.encode(callerRoles.get()));
        FanoutCall<Q, R> fanout = new FanoutCall<>(call, ((RelayPlan.Fanout) plan).targets(), relay.get(), forward,
                Context.current());
        fanout.start();
        return fanout;
    }

    private static RelayPlan.Shape shape(MethodDescriptor<?, ?> method) {
        if (method.getResponseMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> marshaller
                && marshaller.getMessagePrototype() instanceof Message prototype) {
            return Replies.shapeOf(method.getBareMethodName(), method.getType(), prototype.getDescriptorForType());
        }
        return RelayPlan.Shape.NOT_RELAYED;
    }

    private static List<String> list(Iterable<String> values) {
        List<String> list = new java.util.ArrayList<>();
        values.forEach(list::add);
        return list;
    }
}
