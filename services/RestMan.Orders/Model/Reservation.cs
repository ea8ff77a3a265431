using System.Globalization;

namespace RestMan.Orders.Model;

/// <summary>The statuses of a reservation, as stored and as they travel in events.</summary>
public static class ReservationStatus
{
    public const string Booked = "BOOKED";
    public const string Seated = "SEATED";
    public const string Cancelled = "CANCELLED";
    public const string NoShow = "NO_SHOW";

    public static readonly IReadOnlyList<string> All = [Booked, Seated, Cancelled, NoShow];

    /// <summary>Only a booked reservation can still be seated, cancelled or marked a no-show.</summary>
    public static bool IsOpen(string status) => status == Booked;
}

/// <summary>A reservation as stored. <see cref="UserId"/> is the customer's account, null when staff booked for a guest.</summary>
public sealed record Reservation(
    Guid Id,
    Guid RestaurantId,
    Guid TableId,
    Guid? UserId,
    string? GuestName,
    int PartySize,
    DateTimeOffset StartsAt,
    string Status,
    string? Notes,
    string BookedBy,
    Guid? OrderId,
    bool TableMarked,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public DateTimeOffset EndsAt => StartsAt + ReservationRules.SlotLength;
}

/// <summary>
/// When a restaurant takes guests, as times of day in UTC (restaurants have no time zone yet). A closing time at or
/// before the opening time runs past midnight; equal times mean open all day.
/// </summary>
public sealed record OpeningHours(TimeOnly OpensAt, TimeOnly ClosesAt)
{
    public static readonly OpeningHours Default = new(new TimeOnly(11, 0), new TimeOnly(23, 0));

    public bool IsOpenAt(TimeOnly time) =>
        OpensAt == ClosesAt
        || (OpensAt < ClosesAt ? time >= OpensAt && time < ClosesAt : time >= OpensAt || time < ClosesAt);

    public override string ToString() =>
        $"{OpensAt.ToString("HH:mm", CultureInfo.InvariantCulture)}–{ClosesAt.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC";
}

/// <summary>A table as availability sees it.</summary>
public sealed record TableFit(Guid Id, int Number, int Capacity);

/// <summary>A table held by a booked or seated reservation from <see cref="StartsAt"/> for one slot.</summary>
public sealed record HeldSlot(Guid TableId, DateTimeOffset StartsAt);

/// <summary>The rules of booking: party sizes, the slot a reservation holds, the times offered and the table chosen.</summary>
public static class ReservationRules
{
    public const int MinPartySize = 1;
    public const int MaxPartySize = 50;

    /// <summary>How long a reservation holds its table: two hours, a dinner with some slack.</summary>
    public static readonly TimeSpan SlotLength = TimeSpan.FromHours(2);

    /// <summary>The times offered on the booking page, every quarter hour; a booking may name any whole minute.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(15);

    /// <summary>How far ahead a table can be booked.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(90);

    /// <summary>How long before its time a reservation marks its table RESERVED, so no walk-in is sat there.</summary>
    public static readonly TimeSpan DueSoon = TimeSpan.FromMinutes(30);

    /// <summary>How many other times a refused booking is offered.</summary>
    public const int AlternativeCount = 3;

    /// <summary>Two reservations of one table clash when their slots overlap.</summary>
    public static bool Clashes(DateTimeOffset a, DateTimeOffset b) => (a - b).Duration() < SlotLength;

    /// <summary>The time a booking asks for, to the minute (seconds would only make slots that never line up).</summary>
    public static DateTimeOffset ToMinute(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
    }

    /// <summary>Checks a booking's party size and time against the rules and the restaurant's hours, naming the field.</summary>
    public static void Check(InputRules rules, int? partySize, DateTimeOffset? time, DateTimeOffset now, OpeningHours? hours)
    {
        if (partySize is null) rules.Add("party_size", "is required.");
        else if (partySize is < MinPartySize or > MaxPartySize) rules.Add("party_size", $"must be from {MinPartySize} to {MaxPartySize}.");
        if (time is null)
        {
            rules.Add("time", "is required.");
            return;
        }
        var at = ToMinute(time.Value);
        if (at <= now) rules.Add("time", "must be in the future.");
        else if (at - now > MaxAhead) rules.Add("time", $"must be at most {MaxAhead.TotalDays:0} days ahead.");
        else if (hours is not null && !hours.IsOpenAt(TimeOnly.FromDateTime(at.UtcDateTime)))
            rules.Add("time", $"must be within the restaurant's opening hours ({hours}).");
    }

    /// <summary>A day as <c>yyyy-MM-dd</c>, for availability and the day's book; the calendar's very last day has no next day to end it.</summary>
    public static DateOnly? Day(InputRules rules, string? value, string field = "date")
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day < DateOnly.MaxValue)
            return day;
        rules.Add(field, "must be a date as yyyy-MM-dd.");
        return null;
    }

    /// <summary>Every quarter hour of <paramref name="date"/> (UTC) when the restaurant is open and that is still ahead.</summary>
    public static IReadOnlyList<DateTimeOffset> TimesOn(DateOnly date, OpeningHours hours, DateTimeOffset now)
    {
        var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var times = new List<DateTimeOffset>();
        for (var at = start; at < start.AddDays(1); at += Step)
            if (at > now && at - now <= MaxAhead && hours.IsOpenAt(TimeOnly.FromDateTime(at.UtcDateTime))) times.Add(at);
        return times;
    }

    /// <summary>
    /// The table for a party at a time: the smallest that seats it and is not held then (by capacity, then number),
    /// so big tables stay free for big parties; null when none is.
    /// </summary>
    public static TableFit? ChooseTable(IReadOnlyList<TableFit> tables, int partySize, DateTimeOffset at, IReadOnlyList<HeldSlot> held) =>
        tables.Where(t => t.Capacity >= partySize)
            .OrderBy(t => t.Capacity).ThenBy(t => t.Number)
            .FirstOrDefault(t => IsFree(t.Id, at, held));

    public static bool IsFree(Guid tableId, DateTimeOffset at, IReadOnlyList<HeldSlot> held) =>
        !held.Any(h => h.TableId == tableId && Clashes(h.StartsAt, at));

    /// <summary>The offered times (of <paramref name="candidates"/>) at which some table seats the party.</summary>
    public static IReadOnlyList<DateTimeOffset> FreeTimes(
        IReadOnlyList<DateTimeOffset> candidates, IReadOnlyList<TableFit> tables, int partySize, IReadOnlyList<HeldSlot> held) =>
        candidates.Where(at => ChooseTable(tables, partySize, at, held) is not null).ToList();

    /// <summary>The free times nearest to the one refused, nearest first (the earlier on a tie).</summary>
    public static IReadOnlyList<DateTimeOffset> Alternatives(
        DateTimeOffset refused, IReadOnlyList<DateTimeOffset> candidates, IReadOnlyList<TableFit> tables, int partySize,
        IReadOnlyList<HeldSlot> held) =>
        FreeTimes(candidates.Where(at => at != refused).ToList(), tables, partySize, held)
            .OrderBy(at => (at - refused).Duration()).ThenBy(at => at)
            .Take(AlternativeCount).ToList();

    /// <summary>Staff may record a no-show only once the reserved time has passed.</summary>
    public static bool CanMarkNoShow(Reservation reservation, DateTimeOffset now) =>
        ReservationStatus.IsOpen(reservation.Status) && now >= reservation.StartsAt;

    /// <summary>Whether the sweep should hold the reservation's table now.</summary>
    public static bool IsDueSoon(DateTimeOffset startsAt, DateTimeOffset now) => startsAt - now <= DueSoon && startsAt + SlotLength > now;
}
