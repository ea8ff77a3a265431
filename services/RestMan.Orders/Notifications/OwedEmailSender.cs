using RestMan.Email;

namespace RestMan.Orders.Notifications;

/// <summary>An email owed to a customer, claimed for sending: its row's key, its attempts so far, the address if known.</summary>
public interface IOwedEmail
{
    Guid Key { get; }
    int Attempts { get; }
    string? Email { get; }
}

/// <summary>
/// Sends emails owed in a table written in the transaction that owes them (an order READY, a reservation booked), after
/// that transaction committed. A failed send, or a customer whose address is not known yet, is retried with backoff;
/// each email goes out at least once. Subclasses say where the emails are and what they say.
/// </summary>
public abstract class OwedEmailSender<TEmail>(IEmailSender sender, TimeProvider clock, ILogger logger) : BackgroundService
    where TEmail : IOwedEmail
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    // Long enough for one batch to be sent; if this instance dies meanwhile, another sends it after this.
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);
    // About two hours of retries: past that the email would only confuse.
    private const int MaxAttempts = 30;
    private const int BatchSize = 20;

    /// <summary>What is sent, for the log ("order-ready email").</summary>
    protected abstract string What { get; }

    protected abstract Task<IReadOnlyList<TEmail>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct);

    protected abstract Task MarkSentAsync(Guid key, DateTimeOffset at, CancellationToken ct);

    /// <summary>Tries again at <paramref name="retryAt"/>, or never (abandoned) when it is null.</summary>
    protected abstract Task MarkFailedAsync(Guid key, string error, DateTimeOffset now, DateTimeOffset? retryAt, CancellationToken ct);

    protected abstract EmailMessage ComposeMessage(TEmail email);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = clock.GetUtcNow();
                foreach (var email in await ClaimDueAsync(now, now + Lease, BatchSize, stoppingToken))
                    await SendAsync(email, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not look for {What}s to send", What);
            }
            await Task.Delay(PollInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task SendAsync(TEmail email, CancellationToken ct)
    {
        try
        {
            if (email.Email is null) throw new EmailUnavailableException("the customer's email address is not known yet (no user.login_success seen)");
            await sender.SendAsync(ComposeMessage(email), ct);
            await MarkSentAsync(email.Key, clock.GetUtcNow(), ct);
            logger.LogInformation("Sent the {What} for {Key}", What, email.Key);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var giveUp = email.Attempts >= MaxAttempts;
            var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, email.Attempts), MaxRetryDelay.TotalSeconds));
            await MarkFailedAsync(email.Key, ex.Message, now, giveUp ? null : now + delay, ct);
            if (giveUp) logger.LogError(ex, "Gave up sending the {What} for {Key}", What, email.Key);
            else logger.LogWarning("The {What} for {Key} failed (attempt {Attempt}): {Error}", What, email.Key, email.Attempts, ex.Message);
        }
    }
}
