using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Atlas.Bot;

/// <summary>
/// One options type checked before the service starts: resolving it binds it and runs every validator registered
/// for it. <see cref="Cli.ConfigCheck"/> resolves each one and collects all their failures, where the host's own
/// ValidateOnStart stops at the first type that fails and a value the binder cannot convert is an exception.
/// </summary>
public sealed class CheckedOptions(Func<IServiceProvider, IReadOnlyList<string>> problems)
{
    public IReadOnlyList<string> Problems(IServiceProvider services) => problems(services);
}

/// <summary>How the registration states its rules: every failure is one line that names its configuration key.</summary>
public static class OptionsChecks
{
    /// <summary>Validated when the host starts, and named with every other problem before it is built (ConfigCheck).</summary>
    public static OptionsBuilder<T> CheckedAtStart<T>(this OptionsBuilder<T> options)
        where T : class
    {
        options.Services.AddSingleton(new CheckedOptions(Problems<T>));
        return options.ValidateOnStart();
    }

    /// <summary>The data annotations on <typeparamref name="T"/>'s properties, each failure as "Section:Key: message".</summary>
    public static OptionsBuilder<T> ValidateAnnotations<T>(this OptionsBuilder<T> options, string section)
        where T : class =>
        options.Rule(value => AnnotationProblems(value, section));

    /// <summary>A rule of the registration's own: each line <paramref name="problems"/> returns is one failure.</summary>
    public static OptionsBuilder<T> Rule<T>(this OptionsBuilder<T> options, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        options.Services.AddSingleton<IValidateOptions<T>>(new RuleValidator<T>(options.Name, problems));
        return options;
    }

    /// <param name="except">A member whose problem the caller names in its own words (a missing token), so it is not named twice.</param>
    public static IEnumerable<string> AnnotationProblems(object options, string section, string? except = null)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results
            .Where(result => except is null || !result.MemberNames.Contains(except))
            .Select(result => $"{section}:{string.Join(",", result.MemberNames)}: {result.ErrorMessage}");
    }

    private static IReadOnlyList<string> Problems<T>(IServiceProvider services)
        where T : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<T>>().Value;
            return [];
        }
        catch (OptionsValidationException invalid)
        {
            return [.. invalid.Failures];
        }
        catch (InvalidOperationException unconvertible)
        {
            // The binder's message names the key and the value it could not convert.
            return [unconvertible.Message];
        }
    }

    private sealed class RuleValidator<T>(string? name, Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if (name is not null && name != optionsName)
            {
                return ValidateOptionsResult.Skip;
            }

            var failures = problems(options).ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
