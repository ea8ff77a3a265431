using RestMan.Billing.Infrastructure;
using RestMan.Email;

namespace RestMan.Billing.Receipts;

/// <summary>
/// Sends the receipt emails queued in <c>billing.receipt_emails</c>, after the request that asked committed. A send the
/// mail relay (or the Restaurants service, for the restaurant's details) does not take is retried with backoff for
/// about two hours; each row is sent until it is marked sent, so a crash between the relay's acceptance and the mark is
/// the only way one goes out twice — never a repeated request with its Idempotency-Key, which queues nothing new.
/// </summary>
public sealed class ReceiptEmailSender(
    ReceiptEmailRepository emails, IServiceScopeFactory scopes, IEmailSender sender, TimeProvider clock, ILogger<ReceiptEmailSender> logger)
    : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);
    private const int MaxAttempts = 30;
    private const int BatchSize = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not look for receipt emails to send");
            }
            await Task.Delay(PollInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One pass: sends what is due; returns how many went.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await emails.ClaimDueAsync(now, now + Lease, BatchSize, ct);
        if (due.Count == 0) return 0;
        using var scope = scopes.CreateScope();
        var maker = scope.ServiceProvider.GetRequiredService<ReceiptMaker>();
        var sent = 0;
        foreach (var email in due)
        {
            try
            {
                var message = await maker.EmailAsync(email.BillId, email.Email, ct)
                    ?? throw new InvalidOperationException($"bill {email.BillId} is gone");
                await sender.SendAsync(message, ct);
                await emails.MarkSentAsync(email.Id, clock.GetUtcNow(), ct);
                sent++;
                logger.LogInformation("Sent the receipt of bill {BillId} ({EmailId})", email.BillId, email.Id);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var failedAt = clock.GetUtcNow();
                var giveUp = email.Attempts >= MaxAttempts;
                var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, email.Attempts), MaxRetryDelay.TotalSeconds));
                await emails.MarkFailedAsync(email.Id, ex.Message, failedAt, giveUp ? null : failedAt + delay, ct);
                if (giveUp) logger.LogError(ex, "Gave up sending the receipt of bill {BillId} ({EmailId})", email.BillId, email.Id);
                else logger.LogWarning("The receipt email {EmailId} failed (attempt {Attempt}): {Error}", email.Id, email.Attempts, ex.Message);
            }
        }
        return sent;
    }
}
