using RestMan.Billing.Infrastructure;
using RestMan.Billing.Model;
using RestMan.Data;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Billing.Payments;

/// <summary>A refund asked for: <paramref name="Amount"/> (null: all that is left), from <paramref name="PaymentId"/> only when given.</summary>
public sealed record RefundOrder(decimal? Amount, Guid? PaymentId, string? Reason, Guid? RefundedBy);

/// <summary>
/// Gives money back to the payments a bill was paid with. Like a payment, a refund locks its bill's row, so racing
/// refunds are serialized and the second sees what the first takes: never more than was paid goes back. A refund
/// through the provider is stored pending (holding its amount) before the provider is called and settled after, in its
/// own transaction; one the provider did not answer stays pending for the reconciler (the provider refunds once per
/// reference). Money taken by hand (cash, or recorded by "finalize") is refunded as it is recorded.
/// </summary>
public sealed class Refunding(
    Database db, BillRepository bills, PaymentRepository payments, RefundRepository refunds, IPaymentProvider provider, ILogger<Refunding> logger)
{
    public async Task<MoneyMove<Refund>> IssueAsync(Guid billId, RefundOrder order, string? key, CancellationToken ct)
    {
        var fingerprint = key is null ? null : IdempotencyKeys.Fingerprint(billId, order.Amount, order.PaymentId, order.Reason);
        var policy = key is null ? TransactionRetryPolicy.Default : TransactionRetryPolicy.LookThenInsert with { RetryUncertainCommit = true };
        var outcome = await db.InTransactionAsync<MoneyMove<Refund>>(policy, async tx =>
        {
            if (key is not null && await refunds.FindByKeyAsync(tx, billId, key, ct) is { } earlier)
                return earlier.Fingerprint == fingerprint
                    ? new MoneyMove<Refund>.Replayed(earlier, (await bills.FindAsync(billId, ct))!)
                    : new MoneyMove<Refund>.KeyReused();
            var bill = (await bills.LockAsync(tx, billId, ct))!;
            // An open bill is still being paid: a refund comes after it is paid (or its order was cancelled).
            if (bill.IsOpen && !bill.RefundDue)
                return new MoneyMove<Refund>.Refused("bill_not_paid", "The bill is still being paid; refund it once it is paid.");
            return await CreateAsync(tx, bill, order, key, fingerprint, ct);
        }, ct);

        if (outcome is not MoneyMove<Refund>.Taken { Moved.Status: RefundStatus.Pending } taken) return outcome;
        return await SendAsync(taken.Moved.Id, ct) is { } sent ? new MoneyMove<Refund>.Taken(sent.Refund, sent.Bill) : outcome;
    }

    /// <summary>
    /// In the caller's unit of work, with <paramref name="bill"/> locked: takes the refund from the payments and stores
    /// it; one with no payment through the provider is issued at once.
    /// </summary>
    public async Task<MoneyMove<Refund>> CreateAsync(UnitOfWork tx, Bill bill, RefundOrder order, string? key, string? fingerprint, CancellationToken ct)
    {
        var onBill = await payments.ListByBillAsync(tx, bill.Id, ct);
        var earlier = await refunds.ListByBillAsync(tx, bill.Id, ct);
        var (parts, refusal) = RefundRules.Allocate(RefundRules.Refundable(onBill, earlier.SelectMany(r => r.Payments)), order.Amount, order.PaymentId);
        if (refusal is { } r) return new MoneyMove<Refund>.Refused(r.Code, r.Detail);

        var now = tx.Clock.GetUtcNow();
        var id = Guid.NewGuid();
        var refundPayments = parts.Select((p, i) => p.Payment.ProviderReference is null
            ? new RefundPayment(p.Payment.Id, p.Payment.Method, p.Amount, RefundStatus.Refunded, null, null)
            : new RefundPayment(p.Payment.Id, p.Payment.Method, p.Amount, RefundStatus.Pending, $"rf_{id:N}_{i + 1}", null)).ToList();
        var refund = new Refund(id, bill.Id, bill.OrderId, bill.RestaurantId, parts.Sum(p => p.Amount), RefundStatus.Pending, order.Reason,
            key, fingerprint, order.RefundedBy, now, now, null, refundPayments);
        await refunds.InsertAsync(tx, refund, ct);
        if (refundPayments.Any(p => p.Status == RefundStatus.Pending)) return new MoneyMove<Refund>.Taken(refund, bill);
        var (done, updated) = await CompleteAsync(tx, refund, bill, now, ct);
        return new MoneyMove<Refund>.Taken(done, updated);
    }

    /// <summary>
    /// Sends a pending refund's payments to the provider and records the answers; null when the refund is not pending.
    /// A payment the provider did not answer stays pending; the refund is complete once none is.
    /// </summary>
    public async Task<(Refund Refund, Bill Bill)?> SendAsync(Guid refundId, CancellationToken ct)
    {
        var refund = await refunds.FindAsync(refundId, ct);
        if (refund is not { Status: RefundStatus.Pending }) return null;
        var answers = new Dictionary<Guid, ProviderAnswer>();
        foreach (var part in refund.Payments.Where(p => p.Status == RefundStatus.Pending))
        {
            var payment = (await payments.FindAsync(part.PaymentId, ct))!;
            answers[part.PaymentId] = await AskAsync(
                () => provider.RefundAsync(new RefundRequest(payment.ProviderReference!, part.ProviderReference!, part.Amount), ct), ct);
        }

        return await db.InTransactionAsync<(Refund, Bill)?>(async tx =>
        {
            var bill = (await bills.LockAsync(tx, refund.BillId, ct))!;
            var current = (await refunds.FindAsync(tx, refundId, ct))!;
            if (current.Status != RefundStatus.Pending) return (current, bill);
            var parts = new List<RefundPayment>();
            foreach (var part in current.Payments)
            {
                var answered = part.Status != RefundStatus.Pending || !answers.TryGetValue(part.PaymentId, out var answer) ? part
                    : answer.Outcome switch
                    {
                        ProviderOutcome.Refunded => part with { Status = RefundStatus.Refunded },
                        ProviderOutcome.Declined or ProviderOutcome.Unknown => part with { Status = RefundStatus.Failed, FailureReason = answer.Reason ?? "declined" },
                        _ => part,
                    };
                if (answered.Status != part.Status)
                    await refunds.SetPaymentStatusAsync(tx, refundId, part.PaymentId, answered.Status, answered.FailureReason, ct);
                parts.Add(answered);
            }
            current = current with { Payments = parts };
            if (parts.Any(p => p.Status == RefundStatus.Pending)) return (current, bill);
            return await CompleteAsync(tx, current, bill, tx.Clock.GetUtcNow(), ct);
        }, ct);
    }

    // Every payment of the refund answered: the refund is issued (or failed), the bill counts what went back, refund.issued goes out.
    private async Task<(Refund Refund, Bill Bill)> CompleteAsync(UnitOfWork tx, Refund refund, Bill bill, DateTimeOffset now, CancellationToken ct)
    {
        var issued = refund.AmountIssued;
        var status = issued > 0 ? RefundStatus.Issued : RefundStatus.Failed;
        await refunds.SetStatusAsync(tx, refund.Id, status, now, ct);
        refund = refund with { Status = status, UpdatedAt = now, IssuedAt = issued > 0 ? now : null };
        if (issued <= 0)
        {
            logger.LogWarning("Refund {RefundId} of bill {BillId} failed: the provider refunded none of it", refund.Id, bill.Id);
            return (refund, bill);
        }

        // A payment whose whole amount went back is refunded.
        var given = (await refunds.ListByBillAsync(tx, bill.Id, ct)).Select(r => r.Id == refund.Id ? refund : r)
            .SelectMany(r => r.Payments).Where(p => p.Status == RefundStatus.Refunded).ToList();
        foreach (var payment in (await payments.ListByBillAsync(tx, bill.Id, ct)).Where(p => p.Status == PaymentStatus.Captured))
            if (given.Where(g => g.PaymentId == payment.Id).Sum(g => g.Amount) >= payment.Amount)
                await payments.SetStatusAsync(tx, payment.Id, PaymentStatus.Refunded, null, now, ct);

        var refunded = bill.AmountRefunded + issued;
        var updated = await bills.AddRefundedAsync(tx, bill.Id, issued, RefundRules.BillStatusAfter(bill, refunded, bill.AmountPaid), now, ct);
        tx.Publish(new RefundIssued(refund.Id, bill.Id, bill.OrderId, bill.RestaurantId, issued, refund.Reason, updated.Status,
            refund.Payments.Where(p => p.Status == RefundStatus.Refunded).Select(p => new RefundedPayment(p.PaymentId, p.Method, p.Amount)).ToList(), now));
        logger.LogInformation("Refund {RefundId} of bill {BillId}: {Amount} given back; the bill is {Status}", refund.Id, bill.Id, issued, updated.Status);
        return (refund, updated);
    }

    // A provider that does not answer in time leaves the refund pending: the reconciler sends it again (once per reference).
    private async Task<ProviderAnswer> AskAsync(Func<Task<ProviderAnswer>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            logger.LogWarning(ex, "The payment provider did not answer a refund; it stays pending for the reconciler");
            return new ProviderAnswer(ProviderOutcome.TimedOut);
        }
    }
}
