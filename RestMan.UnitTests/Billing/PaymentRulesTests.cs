extern alias BillingService;

using System.Text;
using BillingService::RestMan.Billing.Model;
using BillingService::RestMan.Billing.Payments;

namespace RestMan.UnitTests.Billing;

/// <summary>The pure rules of taking payments: what a bill may still take, the recorded method, the provider's answers, signatures.</summary>
[Trait("Category", "Unit")]
public sealed class PaymentRulesTests
{
    private static Bill BillOf(decimal total, string status = BillStatus.Pending) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), total, 0m, 0m, 0m, total, status, null,
            DateTimeOffset.UnixEpoch, status == BillStatus.Paid ? DateTimeOffset.UnixEpoch : null, null);

    [Theory]
    [InlineData(27.50, 0, 27.50, null)]
    [InlineData(27.50, 20.00, 7.50, null)]
    [InlineData(27.50, 20.00, 7.51, "overpayment")]
    [InlineData(27.50, 27.50, 0.01, "payment_pending")]
    public void A_payment_may_take_at_most_what_is_not_yet_held(decimal total, decimal held, decimal amount, string? refused) =>
        PaymentRules.Refusal(BillOf(total), held, amount)?.Code.ShouldBe(refused);

    [Fact]
    public void A_paid_or_void_bill_takes_no_payment()
    {
        PaymentRules.Refusal(BillOf(10m, BillStatus.Paid), 10m, 1m)!.Value.Code.ShouldBe("bill_already_paid");
        PaymentRules.Refusal(BillOf(10m, BillStatus.Void), 0m, 1m)!.Value.Code.ShouldBe("bill_void");
        PaymentRules.Refusal(BillOf(10m, BillStatus.PartiallyPaid), 4m, 6m).ShouldBeNull();
    }

    [Fact]
    public void The_methods_are_cash_card_qr_and_e_wallet_and_the_first_implementations_names_still_count()
    {
        PaymentMethod.Normalize(" CARD ").ShouldBe("card");
        PaymentMethod.Normalize("upi").ShouldBe("qr");
        PaymentMethod.Normalize("wallet").ShouldBe("e_wallet");
        PaymentMethod.Normalize("cheque").ShouldBeNull();
        PaymentMethod.ThroughProvider("cash").ShouldBeFalse();
        PaymentMethod.ThroughProvider("qr").ShouldBeTrue();
    }

    [Fact]
    public void A_bill_paid_several_ways_is_recorded_with_the_method_that_paid_most()
    {
        var at = DateTimeOffset.UnixEpoch;
        Payment Paid(string method, decimal amount, int minute) => new(Guid.NewGuid(), Guid.Empty, Guid.Empty, Guid.Empty, amount, 0m, method,
            PaymentStatus.Captured, null, null, null, null, null, null, null, at, at, at.AddMinutes(minute));
        PaymentRules.MainMethod([Paid("cash", 10m, 1), Paid("card", 17.50m, 2)]).ShouldBe("card");
        PaymentRules.MainMethod([Paid("cash", 10m, 1), Paid("card", 5m, 2), Paid("card", 5m, 3)]).ShouldBe("card");
        PaymentRules.MainMethod([Paid("card", 10m, 1), Paid("cash", 10m, 2)]).ShouldBe("cash");
    }

    [Fact]
    public async Task The_simulated_provider_declines_times_out_and_never_charges_a_reference_twice()
    {
        var provider = new SimulatedPaymentProvider();
        (await provider.AuthorizeAsync(new ChargeRequest("r1", 10m, "card", SimulatedPaymentProvider.DeclinedCard), true, default)).Outcome
            .ShouldBe(ProviderOutcome.Declined);
        (await provider.StatusAsync("r1", default)).Outcome.ShouldBe(ProviderOutcome.Unknown);

        // The charge goes through but the answer is lost; asking by reference tells, and asking again charges nothing more.
        (await provider.AuthorizeAsync(new ChargeRequest("r2", 10m, "qr", SimulatedPaymentProvider.TimeoutCard), true, default)).Outcome
            .ShouldBe(ProviderOutcome.TimedOut);
        (await provider.StatusAsync("r2", default)).Outcome.ShouldBe(ProviderOutcome.Captured);

        (await provider.AuthorizeAsync(new ChargeRequest("r3", 10m, "card", "4242424242424242"), false, default)).Outcome.ShouldBe(ProviderOutcome.Authorized);
        (await provider.AuthorizeAsync(new ChargeRequest("r3", 10m, "card", "4242424242424242"), false, default)).Outcome.ShouldBe(ProviderOutcome.Authorized);
        (await provider.CaptureAsync("r3", default)).Outcome.ShouldBe(ProviderOutcome.Captured);
    }

    [Fact]
    public async Task The_simulated_providers_hanging_card_is_charged_then_times_out_and_its_ledger_outlives_the_provider()
    {
        var ledger = new InMemorySimulatedLedger();
        var provider = new SimulatedPaymentProvider(ledger, TimeSpan.FromMilliseconds(50));
        await Should.ThrowAsync<TimeoutException>(() =>
            provider.AuthorizeAsync(new ChargeRequest("h1", 10m, "card", SimulatedPaymentProvider.HangingCaptureCard), true, default));
        // Another provider over the same ledger (Billing restarted, the provider did not) knows the charge, once.
        var restarted = new SimulatedPaymentProvider(ledger, TimeSpan.FromMilliseconds(50));
        (await restarted.StatusAsync("h1", default)).Outcome.ShouldBe(ProviderOutcome.Captured);
        (await restarted.RefundAsync(new RefundRequest("h1", "f1", 10m), default)).Outcome.ShouldBe(ProviderOutcome.Refunded);
        (await restarted.RefundAsync(new RefundRequest("h1", "f2", 0.01m), default)).Outcome.ShouldBe(ProviderOutcome.Declined);

        // Authorized, then the capture hangs: captured at the provider all the same.
        (await provider.AuthorizeAsync(new ChargeRequest("h2", 10m, "card", SimulatedPaymentProvider.HangingCaptureCard), false, default)).Outcome
            .ShouldBe(ProviderOutcome.Authorized);
        await Should.ThrowAsync<TimeoutException>(() => provider.CaptureAsync("h2", default));
        (await restarted.StatusAsync("h2", default)).Outcome.ShouldBe(ProviderOutcome.Captured);
    }

    [Fact]
    public void A_webhook_signature_is_the_bodys_hmac_with_the_shared_secret()
    {
        var body = Encoding.UTF8.GetBytes("""{"provider_reference":"rm_1","status":"captured"}""");
        var signature = WebhookSignature.Sign("secret", body);
        signature.ShouldStartWith("sha256=");
        WebhookSignature.IsValid("secret", body, signature).ShouldBeTrue();
        WebhookSignature.IsValid("secret", body, signature.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal)).ShouldBeTrue();
        WebhookSignature.IsValid("other", body, signature).ShouldBeFalse();
        WebhookSignature.IsValid("secret", Encoding.UTF8.GetBytes("""{"provider_reference":"rm_1","status":"failed"}"""), signature).ShouldBeFalse();
        WebhookSignature.IsValid("secret", body, null).ShouldBeFalse();
        WebhookSignature.IsValid("", body, WebhookSignature.Sign("", body)).ShouldBeFalse();
    }
}
