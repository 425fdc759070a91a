package dev.kiln.node.api.proxy;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * One call relayed to several targets. Unary replies are merged once every target has answered or failed; stream
 * messages go to the caller as they come, tagged, each failing target adding one error message, and the call ends
 * when every target's stream has.
 */
final class FanoutCall<Q, R> extends ServerCall.Listener<Q> {

    private final ServerCall<Q, R> call;
    private final List<RelayTarget> targets;
    private final Relay relay;
    private final Metadata forwardHeaders;
    private final Context context;
    private final boolean unary;
    private final R prototype;
    private final Object lock = new Object();
    private final List<ClientCall<Q, R>> calls = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Outcome[] outcomes;
    private final Queue<ClientCall<Q, R>> awaitingReady = new ArrayDeque<>();
    private Q request;
    private int pending;
    private boolean headersSent;
    private boolean finished;

    @SuppressWarnings("unchecked")
    FanoutCall(ServerCall<Q, R> call, List<RelayTarget> targets, Relay relay, Metadata forwardHeaders,
            Context context) {
        this.call = call;
        this.targets = targets;
        this.relay = relay;
        this.forwardHeaders = forwardHeaders;
        this.context = context;
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        this.unary = method.getType() == MethodDescriptor.MethodType.UNARY;
        this.prototype = (R) ((MethodDescriptor.PrototypeMarshaller<R>) method.getResponseMarshaller())
                .getMessagePrototype();
        this.outcomes = new Outcome[targets.size()];
        this.pending = targets.size();
    }

    void start() {
        call.request(1);
    }

    @Override
    public void onMessage(Q message) {
        request = message;
    }

    @Override
    public void onHalfClose() {
        if (request == null) {
            call.close(Status.INTERNAL.withDescription("half-closed without a request"), new Metadata());
            return;
        }
        CallOptions options = forwardOptions();
        synchronized (lock) {
            for (int i = 0; i < targets.size(); i++) {
                ManagedChannel channel = relay.open(targets.get(i).address());
                channels.add(channel);
                calls.add(channel.newCall(call.getMethodDescriptor(), options));
            }
        }
        for (int i = 0; i < targets.size(); i++) {
            ClientCall<Q, R> target = calls.get(i);
            TargetListener listener = new TargetListener(i, target);
            Metadata headers = new Metadata();
            headers.merge(forwardHeaders);
            // Started inside the caller's context, so the caller's cancellation reaches every target.
            context.run(() -> {
                target.start(listener, headers);
                target.request(1);
                target.sendMessage(request);
                target.halfClose();
            });
        }
    }

    private CallOptions forwardOptions() {
        Deadline callerDeadline = context.getDeadline();
        if (callerDeadline == null) {
            return CallOptions.DEFAULT;
        }
        Duration forward = RelayDeadline.forward(Duration.ofNanos(callerDeadline.timeRemaining(TimeUnit.NANOSECONDS)));
        return CallOptions.DEFAULT.withDeadlineAfter(forward.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onReady() {
        synchronized (lock) {
            while (!awaitingReady.isEmpty() && call.isReady()) {
                awaitingReady.poll().request(1);
            }
        }
    }

    @Override
    public void onCancel() {
        List<ClientCall<Q, R>> started;
        synchronized (lock) {
            finished = true;
            started = List.copyOf(calls);
        }
        started.forEach(target -> target.cancel("the caller cancelled the relayed call", null));
        shutdownChannels();
    }

    private final class TargetListener extends ClientCall.Listener<R> {

        private final int index;
        private final ClientCall<Q, R> target;
        private R answer;

        TargetListener(int index, ClientCall<Q, R> target) {
            this.index = index;
            this.target = target;
        }

        @Override
        public void onMessage(R message) {
            if (unary) {
                answer = message;
                target.request(1);
                return;
            }
            synchronized (lock) {
                send(Replies.tagged((Message) message, targets.get(index).name()));
                if (call.isReady()) {
                    target.request(1);
                } else {
                    awaitingReady.add(target);
                }
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            RelayTarget name = targets.get(index);
            synchronized (lock) {
                if (unary) {
                    outcomes[index] = status.isOk() && answer != null ? new Outcome.Answered(name, (Message) answer)
                            : new Outcome.Failed(name, status.isOk()
                                    ? Status.INTERNAL.withDescription("the target closed the call without a reply")
                                    : status);
                } else if (!status.isOk()) {
                    send(Replies.failure((Message) prototype, name.name(), status));
                }
                pending--;
                if (pending > 0) {
                    return;
                }
                if (unary) {
                    send(Replies.merged((Message) prototype, List.of(outcomes)));
                }
                finish();
            }
            shutdownChannels();
        }
    }

    @SuppressWarnings("unchecked")
    private void send(Message message) {
        if (finished) {
            return;
        }
        if (!headersSent) {
            call.sendHeaders(new Metadata());
            headersSent = true;
        }
        call.sendMessage((R) message);
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        call.close(Status.OK, new Metadata());
    }

    private void shutdownChannels() {
        List<ManagedChannel> open;
        synchronized (lock) {
            if (pending > 0 && !finished) {
                return;
            }
            open = List.copyOf(channels);
        }
        open.forEach(ManagedChannel::shutdownNow);
    }
}
