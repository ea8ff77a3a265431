extern alias BillingService;

using BillingService::RestMan.Billing.Model;
using BillingService::RestMan.Billing.Payments;

namespace RestMan.UnitTests.Billing;

/// <summary>The pure rules of refunds: never more than was paid, to the original payments, newest first; the bill's status after.</summary>
[Trait("Category", "Unit")]
public sealed class RefundRulesTests
{
    private static Payment Paid(decimal amount, int minute, string method = PaymentMethod.Card, string status = PaymentStatus.Captured) =>
        new(Guid.NewGuid(), Guid.Empty, Guid.Empty, Guid.Empty, amount, 1.00m, method, status, null, null, null, null, null, null, null,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(minute));

    [Fact]
    public void A_refund_takes_from_the_newest_payments_first_and_never_more_than_they_paid()
    {
        var first = Paid(20m, 1);
        var second = Paid(10m, 2, PaymentMethod.Cash);
        var failed = Paid(50m, 3, status: PaymentStatus.Failed);
        var refundable = RefundRules.Refundable([first, second, failed], []);
        refundable.Sum(x => x.Left).ShouldBe(30m);

        var (parts, refusal) = RefundRules.Allocate(refundable, 15m, null);
        refusal.ShouldBeNull();
        parts.Select(p => (p.Payment.Id, p.Amount)).ShouldBe([(second.Id, 10m), (first.Id, 5m)]);

        RefundRules.Allocate(refundable, 30.01m, null).Refusal!.Value.Code.ShouldBe("refund_exceeds_paid");
        RefundRules.Allocate(refundable, 10.01m, second.Id).Refusal!.Value.Code.ShouldBe("refund_exceeds_paid");
        RefundRules.Allocate(refundable, null, first.Id).Parts.Single().Amount.ShouldBe(20m);
    }

    [Fact]
    public void What_earlier_refunds_hold_is_not_given_back_twice_unless_they_failed()
    {
        var card = Paid(20m, 1);
        var pending = new RefundPayment(card.Id, PaymentMethod.Card, 12m, RefundStatus.Pending, "rf_1", null);
        var failed = new RefundPayment(card.Id, PaymentMethod.Card, 8m, RefundStatus.Failed, "rf_2", "declined");
        var refundable = RefundRules.Refundable([card], [pending, failed]);
        refundable.Single().Left.ShouldBe(8m);
        RefundRules.Allocate(RefundRules.Refundable([card], [pending with { Amount = 20m, Status = RefundStatus.Refunded }]), null, null)
            .Refusal!.Value.Code.ShouldBe("nothing_to_refund");
    }

    [Fact]
    public void A_bill_is_partially_refunded_until_all_that_was_paid_went_back_and_a_void_bill_stays_void()
    {
        var bill = new Bill(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 30m, 0m, 0m, 0m, 30m, BillStatus.Paid, "card",
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null);
        RefundRules.BillStatusAfter(bill, 5m, 30m).ShouldBe(BillStatus.PartiallyRefunded);
        RefundRules.BillStatusAfter(bill, 30m, 30m).ShouldBe(BillStatus.Refunded);
        RefundRules.BillStatusAfter(bill with { Status = BillStatus.Void }, 30m, 30m).ShouldBe(BillStatus.Void);
    }

    [Fact]
    public async Task The_simulated_provider_refunds_a_captured_charge_once_per_reference_and_never_more_than_it_took()
    {
        var provider = new SimulatedPaymentProvider();
        (await provider.RefundAsync(new RefundRequest("rm_none", "rf_0", 1m), default)).Outcome.ShouldBe(ProviderOutcome.Declined);
        await provider.AuthorizeAsync(new ChargeRequest("rm_1", 20m, PaymentMethod.Card, "4242424242424242"), capture: true, default);
        (await provider.RefundAsync(new RefundRequest("rm_1", "rf_1", 15m), default)).Outcome.ShouldBe(ProviderOutcome.Refunded);
        (await provider.RefundAsync(new RefundRequest("rm_1", "rf_1", 15m), default)).Outcome.ShouldBe(ProviderOutcome.Refunded);
        (await provider.RefundAsync(new RefundRequest("rm_1", "rf_2", 5.01m), default)).Reason.ShouldBe("refund_exceeds_charge");
        (await provider.RefundAsync(new RefundRequest("rm_1", "rf_3", 5m), default)).Outcome.ShouldBe(ProviderOutcome.Refunded);
        (await provider.StatusAsync("rm_1", default)).Outcome.ShouldBe(ProviderOutcome.Refunded);
    }
}
