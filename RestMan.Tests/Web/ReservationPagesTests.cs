using RestMan.Tests.Floor;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Reservations;

namespace RestMan.Tests.Web;

/// <summary>The booking page and the owner's reservation book, in the browser through the gateway.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Web")]
public sealed class ReservationPagesTests(ApplicationFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_customer_books_on_the_booking_page_and_the_owner_sees_and_seats_it_in_the_reservation_book()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var restaurantId = r.Id;
        await r.AddTableAsync(5, 4, "Main room");
        var at = ReservationsFlow.Tomorrow(19);

        var customer = await browser.OpenAsync(fixture);
        await customer.SignInAsync(AuthFlow.NewEmail(), "user", returnUrl: "/book");
        await customer.Locator("[data-test=book-restaurant]").SelectOptionAsync(restaurantId.ToString());
        await customer.Locator("[data-test=book-date]").FillAsync(ReservationsFlow.Day(at));
        await customer.Locator("[data-test=book-party]").FillAsync("3");
        await customer.Locator("[data-test=find-times]").ClickAsync();
        await customer.Locator("[data-test=time][data-time='19:00']").ClickAsync();
        (await customer.Locator("[data-test=booked]").InnerTextAsync()).ShouldContain("table 5");
        await customer.Locator("[data-test=my-reservation][data-status=BOOKED]").WaitForAsync();

        var book = await browser.OpenAsync(fixture);
        await book.SignInAsync(r.Owner.Login.Email, "rest", returnUrl: "/reservation-book");
        await book.Locator("[data-test=book-restaurant]").SelectOptionAsync(restaurantId.ToString());
        await book.Locator("[data-test=book-day]").FillAsync(ReservationsFlow.Day(at));
        var row = book.Locator("[data-test=reservation-row][data-status=BOOKED]");
        await row.WaitForAsync();
        var text = await row.InnerTextAsync();
        text.ShouldContain("19:00");
        text.ShouldContain("3");

        await row.Locator("[data-test=seat]").ClickAsync();
        await book.Locator("[data-test=reservation-row][data-status=SEATED]").WaitForAsync();
    }
}
