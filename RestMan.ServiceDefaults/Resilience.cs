using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The role of Microsoft.Extensions.Http.Resilience's standard handler (not in this feed): total timeout, retries
/// with jitter for idempotent requests only, a circuit breaker, and a per-attempt timeout.
/// </summary>
public static class ResilienceExtensions
{
    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder http) =>
        http.AddHttpMessageHandler(() => new ResilienceHandler());

    /// <summary>For clients whose calls are long by nature (analytics queries, bulk inserts): no 5 s attempt cap, no breaker.</summary>
    public static IHttpClientBuilder RemoveStandardResilienceHandler(this IHttpClientBuilder http) =>
        http.ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
        {
            for (var i = handlers.Count - 1; i >= 0; i--)
                if (handlers[i] is ResilienceHandler) handlers.RemoveAt(i);
        });

    public static ResiliencePipeline<HttpResponseMessage> CreatePipeline() =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(TimeSpan.FromSeconds(20))
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                ShouldHandle = args => ValueTask.FromResult(
                    IsIdempotent(args.Context) && IsTransient(args.Outcome)),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(5),
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            })
            .AddTimeout(TimeSpan.FromSeconds(5))
            .Build();

    internal static readonly ResiliencePropertyKey<HttpMethod> MethodKey = new("http-method");

    private static bool IsIdempotent(ResilienceContext context) =>
        context.Properties.TryGetValue(MethodKey, out var method)
        && (method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put
            || method == HttpMethod.Delete || method == HttpMethod.Options);

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout,
        _ => false,
    };
}

internal sealed class ResilienceHandler : DelegatingHandler
{
    // One pipeline per destination (the logical service name, before discovery): handler chains are rebuilt every
    // few minutes, and a circuit breaker's memory of a failing service must outlive them.
    private static readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> Pipelines = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var pipeline = Pipelines.GetOrAdd(request.RequestUri?.Authority ?? "", _ => ResilienceExtensions.CreatePipeline());
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(ResilienceExtensions.MethodKey, request.Method);
        try
        {
            return await pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    var (handler, message) = state;
                    return await handler.SendCoreAsync(message, ctx.CancellationToken);
                },
                context, (this, request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken ct) => base.SendAsync(request, ct);
}
