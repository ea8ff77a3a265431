using System.Globalization;
using RestMan.Email;
using RestMan.Orders.Infrastructure;
using RestMan.Orders.Model;

namespace RestMan.Orders.Notifications;

/// <summary>
/// Sends the "your order is ready" emails owed in <c>orders.ready_emails</c>, after the READY change committed. A failed
/// send, or a customer whose address is not known yet, is retried with backoff; each email goes out at least once.
/// </summary>
public sealed class ReadyEmailSender(
    ReadyEmailRepository emails, IEmailSender sender, TimeProvider clock, ILogger<ReadyEmailSender> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    // Long enough for one batch to be sent; if this instance dies meanwhile, another sends it after this.
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);
    // About two hours of retries: past that the customer has long had their food, and the email would only confuse.
    private const int MaxAttempts = 30;
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = clock.GetUtcNow();
                foreach (var email in await emails.ClaimDueAsync(now, now + Lease, BatchSize, stoppingToken))
                    await SendAsync(email, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not look for order-ready emails to send");
            }
            await Task.Delay(PollInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task SendAsync(DueReadyEmail email, CancellationToken ct)
    {
        try
        {
            if (email.Email is null) throw new EmailUnavailableException("the customer's email address is not known yet (no user.login_success seen)");
            await sender.SendAsync(Compose(email), ct);
            await emails.MarkSentAsync(email.OrderId, clock.GetUtcNow(), ct);
            logger.LogInformation("Told the customer of order {OrderId} that it is ready", email.OrderId);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var giveUp = email.Attempts >= MaxAttempts;
            var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, email.Attempts), MaxRetryDelay.TotalSeconds));
            await emails.MarkFailedAsync(email.OrderId, ex.Message, now, giveUp ? null : now + delay, ct);
            if (giveUp) logger.LogError(ex, "Gave up telling the customer of order {OrderId} that it is ready", email.OrderId);
            else logger.LogWarning("Order-ready email for {OrderId} failed (attempt {Attempt}): {Error}", email.OrderId, email.Attempts, ex.Message);
        }
    }

    public static EmailMessage Compose(DueReadyEmail email)
    {
        var what = email.OrderType switch
        {
            OrderType.Takeaway => "is ready to collect",
            OrderType.Delivery => "is ready and will be on its way shortly",
            _ => "is ready and on its way to your table",
        };
        var reference = email.OrderId.ToString("N")[..8].ToUpperInvariant();
        return new EmailMessage(email.Email!, "Your RestMan order is ready",
            $"Good news: your order {reference} ({email.TotalPrice.ToString("0.00", CultureInfo.InvariantCulture)}) {what}.\n" +
            "Enjoy your meal!");
    }
}
