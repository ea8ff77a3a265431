using Microsoft.Extensions.Hosting;

namespace RestMan.UnitTests.BuildingBlocks;

/// <summary>The shared query-string rules: what is "not given", what is refused, and that the 400 names the field.</summary>
[Trait("Category", "Unit")]
public sealed class InputRulesTests
{
    private static readonly DateOnly Fallback = new(2026, 12, 5);
    private static readonly DateOnly Earliest = new(1970, 1, 1);
    private static readonly DateOnly Latest = new(2105, 12, 31);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_value_not_given_is_the_fallback_and_no_problem(string? value)
    {
        var rules = new InputRules();
        rules.Date(value, "date", Fallback, Earliest, Latest).ShouldBe(Fallback);
        rules.WholeNumber(value, "limit", 10, 1, 100).ShouldBe(10);
        rules.OneOf(value, "group_by", ["order_type", "restaurant"]).ShouldBeNull();
        rules.IsValid.ShouldBeTrue();
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("2026-1-5")]
    [InlineData("1969-12-31")]
    [InlineData("'; DROP TABLE x --")]
    public void A_date_outside_the_range_or_format_is_refused_naming_the_field(string value)
    {
        var rules = new InputRules();
        rules.Date(value, "from", Fallback, Earliest, Latest).ShouldBe(Fallback);
        rules.Errors.Keys.ShouldBe(["from"]);
        rules.Errors["from"].ShouldBe("must be a date as YYYY-MM-DD from 1970-01-01 to 2105-12-31.");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("+5")]
    [InlineData("5.0")]
    [InlineData(" 5")]
    public void A_whole_number_outside_its_range_or_with_signs_or_spaces_is_refused(string value)
    {
        var rules = new InputRules();
        rules.WholeNumber(value, "limit", 10, 1, 100).ShouldBe(10);
        rules.Errors["limit"].ShouldBe("must be a whole number from 1 to 100.");
    }

    [Fact]
    public void One_of_is_case_blind_and_answers_the_spelling_of_the_list()
    {
        var rules = new InputRules();
        rules.OneOf("RESTAURANT", "group_by", ["order_type", "restaurant"]).ShouldBe("restaurant");
        rules.OneOf("table", "group_by", ["order_type", "restaurant"]).ShouldBeNull();
        rules.Errors["group_by"].ShouldBe("must be one of: order_type, restaurant.");
    }

    [Fact]
    public void A_window_that_runs_backwards_is_refused_on_its_start()
    {
        var rules = new InputRules();
        rules.Window(Fallback, Fallback);
        rules.IsValid.ShouldBeTrue();
        rules.Window(Fallback.AddDays(1), Fallback);
        rules.Errors["from"].ShouldBe("must not be after to.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-an-id")]
    public void A_required_id_missing_or_malformed_is_refused(string? value)
    {
        var rules = new InputRules();
        rules.RequiredId(value, "restaurant_id", "a restaurant id").ShouldBeNull();
        rules.Errors["restaurant_id"].ShouldBe("must be a restaurant id.");
    }

    [Fact]
    public void An_optional_id_absent_is_no_problem_but_empty_is()
    {
        var rules = new InputRules();
        rules.OptionalId(null, "restaurant_id", "a restaurant id").ShouldBeNull();
        rules.IsValid.ShouldBeTrue();
        rules.OptionalId("", "restaurant_id", "a restaurant id").ShouldBeNull();
        rules.Has("restaurant_id").ShouldBeTrue();
    }
}
