extern alias GatewayService;

using System.Net.Sockets;
using GatewayService::RestMan.Gateway.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace RestMan.UnitTests.Gateway;

/// <summary>Issue 28: what the gateway may send again when a replica died under it, and what it must not.</summary>
[Trait("Category", "Unit")]
public sealed class ForwardingRetryRulesTests
{
    private static readonly Exception CutOff = new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
    private static readonly Exception Refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused",
        new SocketException((int)SocketError.ConnectionRefused));

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public void A_request_that_means_the_same_twice_is_sent_again_whatever_became_of_the_first(string method)
    {
        ForwardingRetry.MayResend(method, hasIdempotencyKey: false, ForwarderError.Request, CutOff).ShouldBeTrue();
        ForwardingRetry.MayResend(method, hasIdempotencyKey: false, ForwarderError.RequestBodyDestination, CutOff).ShouldBeTrue();
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public void An_order_placed_with_an_idempotency_key_is_sent_again_the_service_answers_its_repeat_with_the_first_answer(string method) =>
        ForwardingRetry.MayResend(method, hasIdempotencyKey: true, ForwarderError.Request, CutOff).ShouldBeTrue();

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public void A_write_without_a_key_that_may_have_reached_the_service_is_not_sent_twice(string method)
    {
        ForwardingRetry.MayResend(method, hasIdempotencyKey: false, ForwarderError.Request, CutOff).ShouldBeFalse();
        ForwardingRetry.MayResend(method, hasIdempotencyKey: false, ForwarderError.RequestBodyDestination, CutOff).ShouldBeFalse();
        ForwardingRetry.MayResend(method, hasIdempotencyKey: false, ForwarderError.Request, null).ShouldBeFalse();
    }

    [Fact]
    public void A_write_without_a_key_that_never_left_is_sent_again()
    {
        ForwardingRetry.MayResend("POST", hasIdempotencyKey: false, ForwarderError.Request, Refused).ShouldBeTrue();
        ForwardingRetry.MayResend("POST", hasIdempotencyKey: false, ForwarderError.Request,
            new HttpRequestException("wrapped", new SocketException((int)SocketError.ConnectionRefused))).ShouldBeTrue();
        ForwardingRetry.MayResend("POST", hasIdempotencyKey: false, ForwarderError.NoAvailableDestinations, null).ShouldBeTrue();
    }

    [Theory]
    [InlineData(ForwarderError.RequestTimedOut)]
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.RequestBodyClient)]
    [InlineData(ForwarderError.RequestBodyCanceled)]
    [InlineData(ForwarderError.ResponseBodyDestination)]
    [InlineData(ForwarderError.ResponseBodyClient)]
    [InlineData(ForwarderError.UpgradeRequestDestination)]
    [InlineData(ForwarderError.UpgradeResponseDestination)]
    public void A_timeout_the_clients_own_failure_or_a_failure_once_the_answer_began_is_never_sent_again(ForwarderError error)
    {
        ForwardingRetry.MayResend("GET", hasIdempotencyKey: true, error, CutOff).ShouldBeFalse();
        ForwardingRetry.MayResend("POST", hasIdempotencyKey: false, error, Refused).ShouldBeFalse();
    }

    [Fact]
    public void Resends_are_few_and_end_well_within_the_clusters_patience()
    {
        ForwardingRetry.Pauses.Count.ShouldBeLessThanOrEqualTo(3);
        ForwardingRetry.Pauses.Aggregate(TimeSpan.Zero, (sum, p) => sum + p).ShouldBeLessThan(ForwardingRetry.Budget);
        ForwardingRetry.Budget.ShouldBeLessThan(GatewayRoutes.ActivityTimeout / 2);
    }
}
