using System.Globalization;
using RestMan.Email;
using RestMan.Orders.Infrastructure;

namespace RestMan.Orders.Notifications;

/// <summary>Sends the booking confirmations owed in <c>orders.reservation_emails</c>, after the booking committed.</summary>
public sealed class ReservationEmailSender(
    ReservationRepository reservations, IEmailSender sender, TimeProvider clock, ILogger<ReservationEmailSender> logger)
    : OwedEmailSender<DueReservationEmail>(sender, clock, logger)
{
    protected override string What => "reservation confirmation";

    protected override Task<IReadOnlyList<DueReservationEmail>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        reservations.ClaimDueEmailsAsync(now, leaseUntil, limit, ct);

    protected override Task MarkSentAsync(Guid key, DateTimeOffset at, CancellationToken ct) => reservations.MarkEmailSentAsync(key, at, ct);

    protected override Task MarkFailedAsync(Guid key, string error, DateTimeOffset now, DateTimeOffset? retryAt, CancellationToken ct) =>
        reservations.MarkEmailFailedAsync(key, error, now, retryAt, ct);

    protected override EmailMessage ComposeMessage(DueReservationEmail email) => Compose(email);

    public static EmailMessage Compose(DueReservationEmail email)
    {
        var reference = email.ReservationId.ToString("N")[..8].ToUpperInvariant();
        var party = email.PartySize == 1 ? "1 guest" : $"{email.PartySize} guests";
        return new EmailMessage(email.Email!, "Your RestMan table is booked",
            $"Your table for {party} on {email.StartsAt.ToString("dddd d MMMM yyyy 'at' HH:mm", CultureInfo.InvariantCulture)} UTC is booked " +
            $"(reservation {reference}).\nWe hold it for two hours. If your plans change, cancel it on the booking page.");
    }
}
