using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace RestMan.Gateway.Routing;

/// <summary>
/// Sends a request again when the service it went to failed before answering (a replica killed or restarting): behind a
/// replicated service the address is DCP's (or a load balancer's) proxy, so the next connection reaches a live replica.
/// Only what is safe to send twice is resent (<see cref="MayResend"/>), a few times with a short pause, and only while
/// no byte of the answer has gone out; what still fails is <see cref="ForwardingErrors"/>' 503 with Retry-After.
/// YARP's retry pattern: the body is buffered (it is small: Kestrel's request body limit holds), rewound, and the
/// forwarder runs again with its error cleared.
/// </summary>
public sealed class ForwardingRetry(RequestDelegate next, TimeProvider clock, ILogger<ForwardingRetry> logger)
{
    /// <summary>
    /// The pause before each resend; their count is how many resends there are at most. The last comes 1.7 s after the
    /// first failure, so that a proxy still handing connections to a replica that just died has noticed (resends after
    /// 100/250/500 ms all failed once in the scale-out suite, and the customer got a 503).
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> Pauses = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(1200)];

    /// <summary>
    /// No resend starts after this much time on the request: under half the cluster's <see cref="GatewayRoutes.ActivityTimeout"/>.
    /// Not less: a replica killed while it held requests for 3.7 s (DCP's proxy cut them off only then) left two
    /// customers with a 503 under a 3 s budget, where a resend to the live replica takes a few milliseconds.
    /// </summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(7);

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        // A WebSocket (Blazor's circuit) is a conversation, not a request: the browser reconnects it itself.
        if (context.WebSockets.IsWebSocketRequest || !CouldEverResend(request.Method))
        {
            await next(context);
            return;
        }
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0) request.EnableBuffering();

        var started = clock.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            await next(context);
            var failure = context.GetForwarderErrorFeature();
            if (failure is null || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested
                || attempt >= Pauses.Count || clock.GetElapsedTime(started) + Pauses[attempt] > Budget
                || !MayResend(request.Method, request.Headers.ContainsKey(IdempotencyKeys.Header), failure.Error, failure.Exception))
                return;

            logger.LogInformation(failure.Exception, "{Method} {Path}: the service failed before answering ({Error}); sending it again (attempt {Attempt})",
                request.Method, request.Path, failure.Error, attempt + 2);
            try
            {
                await Task.Delay(Pauses[attempt], clock, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client left: nobody to answer
            }
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            if (request.Body.CanSeek) request.Body.Position = 0;
        }
    }

    // Every method may be resent when the request never left; methods the rule never resends skip the buffering.
    private static bool CouldEverResend(string method) => !HttpMethods.IsConnect(method) && !HttpMethods.IsTrace(method);

    /// <summary>
    /// Whether a request that failed with <paramref name="error"/> may be sent again: a safe or idempotent method (GET,
    /// HEAD, OPTIONS, PUT, DELETE), or one carrying an Idempotency-Key (the services answer its repeat with the first
    /// answer), or any request that never left (no connection could be made). Never a timeout (it already took the
    /// cluster's whole patience), a client's own failure, or a failure after the answer began.
    /// </summary>
    public static bool MayResend(string method, bool hasIdempotencyKey, ForwarderError error, Exception? exception)
    {
        if (error == ForwarderError.NoAvailableDestinations) return true;
        if (error is not (ForwarderError.Request or ForwarderError.RequestBodyDestination)) return false;
        if (IsIdempotent(method) || hasIdempotencyKey) return true;
        return NeverLeft(exception);
    }

    private static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);

    // No connection to the service was made (refused, unreachable): not a byte of the request reached it.
    private static bool NeverLeft(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }) return true;
            if (current is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable })
                return true;
        }
        return false;
    }
}
