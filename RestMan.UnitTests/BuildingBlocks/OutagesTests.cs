using Microsoft.Extensions.Hosting;

namespace RestMan.UnitTests.BuildingBlocks;

/// <summary>When a call to another service counts as "it did not answer" (503 or retry later), and when it is the caller giving up.</summary>
[Trait("Category", "Unit")]
public sealed class OutagesTests
{
    public static TheoryData<Exception> NoAnswer() =>
    [
        new HttpRequestException("connection refused"),
        new TimeoutException(),
        new Polly.Timeout.TimeoutRejectedException(),
        new Polly.CircuitBreaker.BrokenCircuitException(),
        new TaskCanceledException("HttpClient.Timeout"),
    ];

    [Theory]
    [MemberData(nameof(NoAnswer))]
    public void A_service_that_does_not_answer_is_an_outage(Exception exception) =>
        Outages.IsUnanswered(exception, CancellationToken.None).ShouldBeTrue();

    [Fact]
    public void The_callers_own_cancellation_is_not_an_outage()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Outages.IsUnanswered(new TaskCanceledException(), cancelled.Token).ShouldBeFalse();
    }

    [Fact]
    public void A_bug_is_not_an_outage() =>
        Outages.IsUnanswered(new InvalidOperationException("no"), CancellationToken.None).ShouldBeFalse();
}
