extern alias web;

using CareMessaging.Clients;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using web::CareMessaging.Web.Pages.Shared;

namespace CareMessaging.UnitTests.Web;

/// <summary>Where a service's verdict on a form shows up on the page.</summary>
public sealed class PageResultsTests
{
    private static readonly string[] NewConversationFields = ["Form.PatientId", "Form.Topic", "Form.Body"];

    [Fact]
    public void A_field_error_from_the_service_lands_beside_its_field()
    {
        var modelState = new ModelStateDictionary();
        var problem = Problem(("topic", "The topic is 3 to 120 characters."), ("body", "A message can be at most 5000 characters."));

        modelState.AddProblem(problem, NewConversationFields);

        Assert.Equal(["The topic is 3 to 120 characters."], Messages(modelState, "Form.Topic"));
        Assert.Equal(["A message can be at most 5000 characters."], Messages(modelState, "Form.Body"));
        Assert.Empty(Messages(modelState, string.Empty));
    }

    [Fact]
    public void An_error_for_a_field_the_form_does_not_show_is_said_at_the_top_of_the_form()
    {
        var modelState = new ModelStateDictionary();

        modelState.AddProblem(Problem(("clientMessageId", "Use at most 100 characters.")), NewConversationFields);

        Assert.Equal(["Use at most 100 characters."], Messages(modelState, string.Empty));
    }

    [Fact]
    public void A_problem_without_field_errors_is_said_at_the_top_of_the_form()
    {
        var modelState = new ModelStateDictionary();

        modelState.AddProblem(new ApiProblem(409, "Conflict", "The conversation is archived.", new Dictionary<string, string[]>()), NewConversationFields);

        Assert.Equal(["The conversation is archived."], Messages(modelState, string.Empty));
    }

    private static ApiProblem Problem(params (string Field, string Message)[] errors) =>
        new(400, "One or more validation errors occurred.", null, errors.ToDictionary(e => e.Field, e => new[] { e.Message }));

    private static string[] Messages(ModelStateDictionary modelState, string key) =>
        modelState.TryGetValue(key, out var entry) ? [.. entry.Errors.Select(e => e.ErrorMessage)] : [];
}
