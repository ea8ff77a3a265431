using RestMan.Billing.Infrastructure;
using RestMan.Billing.Model;
using RestMan.Data;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Billing.Payments;

/// <summary>A payment asked for: amount towards the bill or its <paramref name="Part"/> (null: what is still owed there), tip on top.</summary>
public sealed record PaymentOrder(decimal? Amount, decimal Tip, string Method, string? CardToken, bool Capture, Guid? TakenBy, int? Part = null);

/// <summary>
/// Takes payments towards bills. The bill's row lock serializes everything that changes what it owes, so two payments
/// racing for the last amount cannot both be taken: the second sees the first held and is an overpayment. A payment
/// through the provider is stored pending (holding its amount) before the provider is called, and settled after, in
/// its own transaction: a lost answer leaves it pending for the reconciler, never half-applied and never charged twice
/// (the provider charges once per reference).
/// </summary>
public sealed class Settlement(
    Database db, BillRepository bills, PaymentRepository payments, SplitRepository split, IPaymentProvider provider, Refunding refunding,
    ILogger<Settlement> logger)
{
    public async Task<MoneyMove<Payment>> TakeAsync(Guid billId, PaymentOrder order, string? key, CancellationToken ct)
    {
        var fingerprint = key is null ? null
            : IdempotencyKeys.Fingerprint(billId, order.Amount, order.Tip, order.Method, order.CardToken, order.Capture, order.Part);
        var policy = key is null ? TransactionRetryPolicy.Default : TransactionRetryPolicy.LookThenInsert with { RetryUncertainCommit = true };
        var outcome = await db.InTransactionAsync<MoneyMove<Payment>>(policy, async tx =>
        {
            if (key is not null && await payments.FindByKeyAsync(tx, billId, key, ct) is { } earlier)
                return earlier.Fingerprint == fingerprint
                    ? new MoneyMove<Payment>.Replayed(earlier, (await bills.FindAsync(billId, ct))!)
                    : new MoneyMove<Payment>.KeyReused();

            var bill = (await bills.LockAsync(tx, billId, ct))!;
            var onBill = await payments.ListByBillAsync(tx, billId, ct);
            var held = onBill.Where(p => PaymentStatus.Holds(p.Status)).Sum(p => p.Amount);
            var amount = order.Amount ?? bill.TotalAmount - held;
            if (order.Part is { } partNo)
            {
                // A part pays at most its own share, and the bill at most its total.
                if ((await split.PartsAsync(tx, billId, ct)).FirstOrDefault(p => p.PartNo == partNo) is not { } part)
                    return new MoneyMove<Payment>.Refused("split_changed", $"The bill has no part {partNo}; it was split again or not at all.");
                var partLeft = part.Amount - onBill.Where(p => p.PartNo == partNo && PaymentStatus.Holds(p.Status)).Sum(p => p.Amount);
                amount = order.Amount ?? Math.Min(partLeft, bill.TotalAmount - held);
                if (bill.IsOpen && partLeft <= 0)
                    return new MoneyMove<Payment>.Refused("part_already_paid", $"Part {partNo} is already paid (or its payments are pending).");
                if (bill.IsOpen && amount > partLeft)
                    return new MoneyMove<Payment>.Refused("overpayment", $"The payment of {amount:0.00} is more than the {partLeft:0.00} part {partNo} still owes.");
            }
            if (PaymentRules.Refusal(bill, held, Math.Max(amount, 0.01m)) is { } refusal)
                return new MoneyMove<Payment>.Refused(refusal.Code, refusal.Detail);

            var now = tx.Clock.GetUtcNow();
            var id = Guid.NewGuid();
            var throughProvider = PaymentMethod.ThroughProvider(order.Method);
            var payment = new Payment(id, bill.Id, bill.OrderId, bill.RestaurantId, amount, order.Tip, order.Method,
                throughProvider ? PaymentStatus.Pending : PaymentStatus.Captured, throughProvider ? $"rm_{id:N}" : null, null,
                key, fingerprint, null, null, order.TakenBy, now, now, throughProvider ? null : now, order.Part);
            await payments.InsertAsync(tx, payment, ct);
            if (!throughProvider) bill = await RecordCaptureAsync(tx, bill, payment, [.. onBill, payment], now, ct);
            return new MoneyMove<Payment>.Taken(payment, bill);
        }, ct);

        if (outcome is not MoneyMove<Payment>.Taken { Moved.Status: PaymentStatus.Pending } taken) return outcome;
        var p = taken.Moved;
        var answer = await AskAsync(() => provider.AuthorizeAsync(new ChargeRequest(p.ProviderReference!, p.Amount + p.Tip, p.Method, order.CardToken), order.Capture, ct), ct);
        var (settled, bill2) = await ApplyAsync(p.Id, answer, ct);
        return new MoneyMove<Payment>.Taken(settled, bill2);
    }

    /// <summary>Captures an authorized payment once; the request that claimed the capture (its key) may ask again.</summary>
    public async Task<MoneyMove<Payment>> CaptureAsync(Guid paymentId, string? key, CancellationToken ct)
    {
        var claimed = await db.InTransactionAsync(async tx =>
        {
            var found = await payments.FindAsync(paymentId, ct);
            if (found is null) return (MoneyMove<Payment>?)null;
            var bill = (await bills.LockAsync(tx, found.BillId, ct))!;
            var payment = (await payments.LockAsync(tx, paymentId, ct))!;
            var sameRequest = key is not null && key == payment.CaptureKey;
            if (payment.Status == PaymentStatus.Captured || payment.CaptureRequestedAt is not null)
                return sameRequest
                    ? new MoneyMove<Payment>.Replayed(payment, bill)
                    : new MoneyMove<Payment>.Refused("payment_already_captured", payment.Status == PaymentStatus.Captured
                        ? $"The payment was already captured on {payment.CapturedAt:u}."
                        : "The payment's capture is already under way.");
            if (payment.Status != PaymentStatus.Authorized)
                return new MoneyMove<Payment>.Refused("payment_not_authorized", $"Only an authorized payment can be captured; this one is {payment.Status}.");
            if (bill.Status == BillStatus.Void)
                return new MoneyMove<Payment>.Refused("bill_void", "The order was cancelled; its bill is void and cannot be paid.");
            await payments.RequestCaptureAsync(tx, paymentId, key, tx.Clock.GetUtcNow(), ct);
            return new MoneyMove<Payment>.Taken(payment, bill);
        }, ct);
        if (claimed is not MoneyMove<Payment>.Taken taken) return claimed ?? new MoneyMove<Payment>.Refused("not_found", "The payment was not found.");

        var answer = await AskAsync(() => provider.CaptureAsync(taken.Moved.ProviderReference!, ct), ct);
        var (settled, bill2) = await ApplyAsync(paymentId, answer, ct);
        return new MoneyMove<Payment>.Taken(settled, bill2);
    }

    /// <summary>
    /// Records what the provider said about a payment (its answer, a webhook, the reconciler's lookup). Only a payment
    /// still waiting changes: a final one (captured, failed, refunded) stays as it is, so a repeated answer changes nothing.
    /// </summary>
    public async Task<(Payment Payment, Bill Bill)> ApplyAsync(Guid paymentId, ProviderAnswer answer, CancellationToken ct)
    {
        var result = await db.InTransactionAsync<(Payment Payment, Bill Bill, bool Changed)>(async tx =>
        {
            var found = (await payments.FindAsync(paymentId, ct))!;
            var bill = (await bills.LockAsync(tx, found.BillId, ct))!;
            var payment = (await payments.LockAsync(tx, paymentId, ct))!;
            if (PaymentStatus.IsFinal(payment.Status)) return (payment, bill, Changed: false);
            var now = tx.Clock.GetUtcNow();
            switch (answer.Outcome)
            {
                case ProviderOutcome.Captured:
                    await payments.SetStatusAsync(tx, paymentId, PaymentStatus.Captured, null, now, ct);
                    payment = payment with { Status = PaymentStatus.Captured, CapturedAt = now, UpdatedAt = now };
                    var onBill = (await payments.ListByBillAsync(tx, bill.Id, ct)).Select(p => p.Id == paymentId ? payment : p).ToList();
                    bill = await RecordCaptureAsync(tx, bill, payment, onBill, now, ct);
                    return (payment, bill, Changed: true);
                case ProviderOutcome.Authorized when payment.Status == PaymentStatus.Pending:
                    await payments.SetStatusAsync(tx, paymentId, PaymentStatus.Authorized, null, now, ct);
                    return (payment with { Status = PaymentStatus.Authorized, UpdatedAt = now }, bill, Changed: true);
                case ProviderOutcome.Declined or ProviderOutcome.Unknown:
                    var reason = answer.Reason ?? (answer.Outcome == ProviderOutcome.Unknown ? "not_charged" : "declined");
                    await payments.SetStatusAsync(tx, paymentId, PaymentStatus.Failed, reason, now, ct);
                    tx.Publish(new PaymentFailed(payment.Id, bill.Id, bill.OrderId, bill.RestaurantId, payment.Amount, payment.Method, reason, now));
                    return (payment with { Status = PaymentStatus.Failed, FailureReason = reason, UpdatedAt = now }, bill, Changed: true);
                default:
                    return (payment, bill, Changed: false);
            }
        }, ct);
        if (result.Changed)
            logger.LogInformation("Payment {PaymentId} of bill {BillId} is {Status}; the bill is {BillStatus}",
                result.Payment.Id, result.Bill.Id, result.Payment.Status, result.Bill.Status);
        return (result.Payment, result.Bill);
    }

    /// <summary>The owner records the whole of what is still owed as paid by <paramref name="method"/> (the first "finalize").</summary>
    public async Task<MoneyMove<Payment>> PayRestAsync(Guid billId, string method, Guid takenBy, CancellationToken ct) =>
        await TakeRecordedAsync(billId, method, takenBy, ct);

    // Money the owner took outside RestMan (cash, or a card on the restaurant's own terminal): captured as it is recorded.
    private async Task<MoneyMove<Payment>> TakeRecordedAsync(Guid billId, string method, Guid takenBy, CancellationToken ct) =>
        await db.InTransactionAsync(async tx =>
        {
            var bill = (await bills.LockAsync(tx, billId, ct))!;
            var onBill = await payments.ListByBillAsync(tx, billId, ct);
            var held = onBill.Where(p => PaymentStatus.Holds(p.Status)).Sum(p => p.Amount);
            var amount = bill.TotalAmount - held;
            if (PaymentRules.Refusal(bill, held, Math.Max(amount, 0.01m)) is { } refusal)
                return (MoneyMove<Payment>)new MoneyMove<Payment>.Refused(refusal.Code, refusal.Detail);
            var now = tx.Clock.GetUtcNow();
            var payment = new Payment(Guid.NewGuid(), bill.Id, bill.OrderId, bill.RestaurantId, amount, 0m, method, PaymentStatus.Captured,
                null, null, null, null, null, null, takenBy, now, now, now);
            await payments.InsertAsync(tx, payment, ct);
            return new MoneyMove<Payment>.Taken(payment, await RecordCaptureAsync(tx, bill, payment, [.. onBill, payment], now, ct));
        }, ct);

    // The captured payment counts on its bill; the bill's bill.paid goes out the moment its payments cover it, once.
    private async Task<Bill> RecordCaptureAsync(
        UnitOfWork tx, Bill bill, Payment payment, IReadOnlyList<Payment> onBill, DateTimeOffset now, CancellationToken ct)
    {
        var mainMethod = PaymentRules.MainMethod(onBill.Where(p => p.Status == PaymentStatus.Captured));
        var updated = await bills.AddCapturedAsync(tx, bill.Id, payment.Amount, payment.Tip, mainMethod, now, ct);
        tx.Publish(new PaymentCompleted(payment.Id, bill.Id, bill.OrderId, bill.RestaurantId, payment.Amount, payment.Tip, payment.Method,
            updated.Status, now));
        if (updated.Status == BillStatus.Paid && bill.Status != BillStatus.Paid)
            tx.Publish(new BillPaid(updated.Id, updated.OrderId, updated.RestaurantId, updated.TotalAmount, updated.PaymentMethod!, updated.PaidAt!.Value));
        // Money captured after the order was cancelled goes straight back (the provider is asked by the reconciler).
        if (updated.Status == BillStatus.Void)
            await refunding.CreateAsync(tx, updated, new RefundOrder(null, payment.Id, "order_cancelled", null), null, null, ct);
        return updated;
    }

    // A provider that does not answer in time (or drops the connection) leaves the payment pending: the reconciler asks later.
    private async Task<ProviderAnswer> AskAsync(Func<Task<ProviderAnswer>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            logger.LogWarning(ex, "The payment provider did not answer; the payment stays pending for the reconciler");
            return new ProviderAnswer(ProviderOutcome.TimedOut);
        }
    }
}
