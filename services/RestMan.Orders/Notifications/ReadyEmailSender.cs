using System.Globalization;
using RestMan.Email;
using RestMan.Orders.Infrastructure;
using RestMan.Orders.Model;

namespace RestMan.Orders.Notifications;

/// <summary>Sends the "your order is ready" emails owed in <c>orders.ready_emails</c>, after the READY change committed.</summary>
public sealed class ReadyEmailSender(
    ReadyEmailRepository emails, IEmailSender sender, TimeProvider clock, ILogger<ReadyEmailSender> logger)
    : OwedEmailSender<DueReadyEmail>(sender, clock, logger)
{
    protected override string What => "order-ready email";

    protected override Task<IReadOnlyList<DueReadyEmail>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        emails.ClaimDueAsync(now, leaseUntil, limit, ct);

    protected override Task MarkSentAsync(Guid key, DateTimeOffset at, CancellationToken ct) => emails.MarkSentAsync(key, at, ct);

    protected override Task MarkFailedAsync(Guid key, string error, DateTimeOffset now, DateTimeOffset? retryAt, CancellationToken ct) =>
        emails.MarkFailedAsync(key, error, now, retryAt, ct);

    protected override EmailMessage ComposeMessage(DueReadyEmail email) => Compose(email);

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
