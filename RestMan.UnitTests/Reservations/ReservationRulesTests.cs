extern alias OrdersService;

using Microsoft.Extensions.Hosting;
using OrdersService::RestMan.Orders.Model;

namespace RestMan.UnitTests.Reservations;

/// <summary>The pure rules of booking a table: opening hours, slots, the table chosen, the times offered instead.</summary>
[Trait("Category", "Unit")]
public sealed class ReservationRulesTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 10, 9, 7, 30, TimeSpan.Zero);
    private static readonly DateOnly Tomorrow = new(2027, 3, 11);
    private static readonly TableFit Two = new(Guid.NewGuid(), 1, 2);
    private static readonly TableFit Four = new(Guid.NewGuid(), 2, 4);
    private static readonly TableFit OtherFour = new(Guid.NewGuid(), 3, 4);
    private static readonly TableFit Eight = new(Guid.NewGuid(), 4, 8);
    private static readonly IReadOnlyList<TableFit> Floor = [Eight, OtherFour, Four, Two];

    private static DateTimeOffset At(int hour, int minute = 0) => new(Tomorrow.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.Zero);

    [Theory]
    [InlineData("11:00", "23:00", "11:00", true)]
    [InlineData("11:00", "23:00", "22:59", true)]
    [InlineData("11:00", "23:00", "23:00", false)]
    [InlineData("11:00", "23:00", "10:59", false)]
    [InlineData("18:00", "02:00", "23:30", true)]
    [InlineData("18:00", "02:00", "01:30", true)]
    [InlineData("18:00", "02:00", "02:00", false)]
    [InlineData("18:00", "02:00", "12:00", false)]
    [InlineData("00:00", "00:00", "04:00", true)]
    public void Opening_hours_decide_whether_a_time_of_day_is_open(string opens, string closes, string time, bool open) =>
        new OpeningHours(TimeOnly.Parse(opens), TimeOnly.Parse(closes)).IsOpenAt(TimeOnly.Parse(time)).ShouldBe(open);

    [Fact]
    public void Times_offered_are_the_open_quarter_hours_of_the_day()
    {
        var times = ReservationRules.TimesOn(Tomorrow, new OpeningHours(new TimeOnly(18, 0), new TimeOnly(20, 0)), Now);

        times.ShouldBe([At(18), At(18, 15), At(18, 30), At(18, 45), At(19), At(19, 15), At(19, 30), At(19, 45)]);
    }

    [Fact]
    public void Times_already_past_today_are_not_offered()
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var times = ReservationRules.TimesOn(today, new OpeningHours(new TimeOnly(8, 0), new TimeOnly(10, 0)), Now);

        times.ShouldBe([new DateTimeOffset(2027, 3, 10, 9, 15, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 10, 9, 30, 0, TimeSpan.Zero),
            new DateTimeOffset(2027, 3, 10, 9, 45, 0, TimeSpan.Zero)]);
    }

    [Fact]
    public void The_smallest_table_that_seats_the_party_is_chosen_first()
    {
        ReservationRules.ChooseTable(Floor, 2, At(19), []).ShouldBe(Two);
        ReservationRules.ChooseTable(Floor, 3, At(19), []).ShouldBe(Four); // same capacity: the lower number
        ReservationRules.ChooseTable(Floor, 5, At(19), []).ShouldBe(Eight);
        ReservationRules.ChooseTable(Floor, 9, At(19), []).ShouldBeNull();
    }

    [Fact]
    public void A_table_held_within_two_hours_is_skipped_and_free_again_two_hours_later()
    {
        HeldSlot[] held = [new(Two.Id, At(19))];

        ReservationRules.ChooseTable(Floor, 2, At(20, 59), held).ShouldBe(Four);
        ReservationRules.ChooseTable(Floor, 2, At(17, 1), held).ShouldBe(Four);
        ReservationRules.ChooseTable(Floor, 2, At(21), held).ShouldBe(Two);
        ReservationRules.ChooseTable(Floor, 2, At(17), held).ShouldBe(Two);
    }

    [Fact]
    public void Alternatives_are_the_nearest_free_times_nearest_first()
    {
        IReadOnlyList<TableFit> oneTable = [Four];
        HeldSlot[] held = [new(Four.Id, At(19))];
        var candidates = ReservationRules.TimesOn(Tomorrow, new OpeningHours(new TimeOnly(12, 0), new TimeOnly(23, 0)), Now);

        var alternatives = ReservationRules.Alternatives(At(19), candidates, oneTable, 4, held);

        alternatives.ShouldBe([At(17), At(21), At(16, 45)]);
    }

    [Fact]
    public void No_alternatives_when_no_table_ever_seats_the_party()
    {
        var candidates = ReservationRules.TimesOn(Tomorrow, OpeningHours.Default, Now);

        ReservationRules.Alternatives(At(19), candidates, Floor, 12, []).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0, "party_size")]
    [InlineData(51, "party_size")]
    [InlineData(null, "party_size")]
    public void Party_size_is_from_1_to_50(int? partySize, string field)
    {
        var rules = new InputRules();
        ReservationRules.Check(rules, partySize, At(19), Now, OpeningHours.Default);

        rules.Errors.Keys.ShouldBe([field]);
    }

    [Fact]
    public void The_time_must_be_ahead_within_90_days_and_within_opening_hours()
    {
        Problem(Now.AddMinutes(-1))!.ShouldContain("future");
        Problem(Now.AddDays(91))!.ShouldContain("90 days");
        Problem(At(23, 30))!.ShouldContain("opening hours (11:00–23:00 UTC)");
        Problem(null)!.ShouldContain("required");
        Problem(At(12, 0)).ShouldBeNull();

        static string? Problem(DateTimeOffset? time)
        {
            var rules = new InputRules();
            ReservationRules.Check(rules, 2, time, Now, OpeningHours.Default);
            return rules.Errors.GetValueOrDefault("time");
        }
    }

    [Fact]
    public void A_booking_is_taken_to_the_minute()
    {
        ReservationRules.ToMinute(new DateTimeOffset(2027, 3, 11, 19, 0, 42, 123, TimeSpan.FromHours(2)))
            .ShouldBe(new DateTimeOffset(2027, 3, 11, 17, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_no_show_is_recorded_only_after_the_reserved_time_of_a_booked_reservation()
    {
        var booked = new Reservation(Guid.NewGuid(), Guid.NewGuid(), Four.Id, Guid.NewGuid(), null, 2, At(19), ReservationStatus.Booked,
            null, "user", null, false, Now, Now);

        ReservationRules.CanMarkNoShow(booked, At(18, 59)).ShouldBeFalse();
        ReservationRules.CanMarkNoShow(booked, At(19)).ShouldBeTrue();
        ReservationRules.CanMarkNoShow(booked with { Status = ReservationStatus.Seated }, At(20)).ShouldBeFalse();
    }

    [Fact]
    public void The_table_is_held_from_thirty_minutes_before_until_the_slot_ends()
    {
        ReservationRules.IsDueSoon(At(19), At(18, 29)).ShouldBeFalse();
        ReservationRules.IsDueSoon(At(19), At(18, 30)).ShouldBeTrue();
        ReservationRules.IsDueSoon(At(19), At(20, 59)).ShouldBeTrue();
        ReservationRules.IsDueSoon(At(19), At(21)).ShouldBeFalse();
    }

    [Theory]
    [InlineData("2027-03-11", true)]
    [InlineData("2027-02-30", false)]
    [InlineData("11/03/2027", false)]
    [InlineData("9999-12-31", false)]
    public void A_day_is_a_real_date_with_a_next_day(string value, bool valid)
    {
        var rules = new InputRules();
        (ReservationRules.Day(rules, value) is not null).ShouldBe(valid);
        rules.Has("date").ShouldBe(!valid);
    }
}
