using Microsoft.Extensions.Options;
using RestMan.Billing.Infrastructure;
using RestMan.Billing.Model;

namespace RestMan.Billing.Payments;

/// <summary>
/// Settles payments the provider never answered (a timeout, a lost connection, a crash between the call and the
/// commit): every <see cref="PaymentOptions.ReconcileEvery"/> it asks the provider, by reference, how each one
/// still pending ended, and records that. A capture that never arrived is sent again (the provider captures once per
/// reference). A charge the provider still does not know after <see cref="PaymentOptions.GiveUpAfter"/> fails. Pending refunds
/// are sent again the same way.
/// </summary>
public sealed class PaymentReconciler(
    PaymentRepository payments, RefundRepository refunds, Settlement settlement, Refunding refunding, IPaymentProvider provider, IOptions<BillingOptions> options,
    TimeProvider clock, ILogger<PaymentReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Payments;
        using var timer = new PeriodicTimer(settings.ReconcileEvery, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReconcileOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database or the provider is away: the next tick tries again.
                logger.LogWarning(ex, "Reconciling pending payments failed; trying again in {Interval}", settings.ReconcileEvery);
            }
        }
    }

    /// <summary>One pass over the payments left waiting; returns how many changed.</summary>
    public async Task<int> ReconcileOnceAsync(CancellationToken ct)
    {
        var settings = options.Value.Payments;
        var now = clock.GetUtcNow();
        var changed = 0;
        foreach (var payment in await payments.ListUnsettledAsync(now - settings.SettleAfter, 100, ct))
        {
            var answer = await provider.StatusAsync(payment.ProviderReference!, ct);
            if (payment.Status == PaymentStatus.Authorized && answer.Outcome == ProviderOutcome.Authorized)
                answer = await provider.CaptureAsync(payment.ProviderReference!, ct);
            if (answer.Outcome == ProviderOutcome.Unknown && now - payment.CreatedAt < settings.GiveUpAfter) continue;
            if (answer.Outcome is ProviderOutcome.TimedOut) continue;
            var (settled, _) = await settlement.ApplyAsync(payment.Id, answer, ct);
            if (settled.Status != payment.Status)
            {
                changed++;
                logger.LogInformation("Reconciled payment {PaymentId} ({Reference}): {Status}", payment.Id, payment.ProviderReference, settled.Status);
            }
        }
        // Refunds the provider did not answer (or a cancellation's, which the consume loop only records) are sent again.
        foreach (var refundId in await refunds.ListPendingAsync(now - settings.SettleAfter, 100, ct))
            if (await refunding.SendAsync(refundId, ct) is { Refund.Status: not RefundStatus.Pending }) changed++;
        return changed;
    }
}
