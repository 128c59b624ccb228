/**
 * The profile's fields, one component for the participant's own form (`/{lc}/account`) and the secretariat's
 * correction (`/{lc}/admin/people/{id}/edit`): the same names, the same schema (`ProfileInput`), the same checks.
 */
import type { ComponentChildren } from 'preact';
import { countryOptions } from '../../platform/i18n/countries.js';
import { ENDONYMS, LOCALES } from '../../platform/i18n/locales.js';
import { honorificOptions } from '../../platform/i18n/names.js';
import { type FieldErrors, SelectField, TextField } from '../../platform/ui/forms.js';
import type { View } from '../../platform/ui/page.js';
import { GENDERS } from './accounts.schema.js';

export function ProfileFields(props: {
  v: View;
  values: Record<string, string | undefined>;
  errors: FieldErrors;
  /** The organisations to choose from: [id, name in the reader's language]. */
  orgs: [string, string][];
  /** Shown right after the organisation (the participant's form says whether their affiliation is verified). */
  afterEntity?: ComponentChildren;
  /** The optional gender: on the participant's own form only (the secretariat's correction leaves it as it is). */
  gender?: boolean;
}) {
  const { v, values: val, errors } = props;
  return (
    <>
      <SelectField
        name="honorific"
        label={v.t('accounts.field.honorific')}
        value={val.honorific}
        error={errors.honorific}
        options={honorificOptions(v.locale)}
      />
      <TextField
        name="givenName"
        label={v.t('accounts.field.given_name')}
        value={val.givenName}
        error={errors.givenName}
        required
        maxLength={100}
      />
      <TextField
        name="familyName"
        label={v.t('accounts.field.family_name')}
        hint={v.t('names.order.single')}
        value={val.familyName}
        error={errors.familyName}
        maxLength={100}
      />
      <SelectField
        name="nameOrder"
        label={v.t('names.order.label')}
        value={val.nameOrder}
        error={errors.nameOrder}
        options={[
          ['', v.t('names.order.auto')],
          ['given_first', v.t('names.order.given_first')],
          ['family_first', v.t('names.order.family_first')],
        ]}
      />
      <TextField
        name="givenNameLatin"
        dir="ltr"
        label={v.t('accounts.field.given_name_latin')}
        value={val.givenNameLatin}
        error={errors.givenNameLatin}
        maxLength={100}
        hint={v.t('accounts.field.latin_hint')}
      />
      <TextField
        name="familyNameLatin"
        dir="ltr"
        label={v.t('accounts.field.family_name_latin')}
        value={val.familyNameLatin}
        error={errors.familyNameLatin}
        maxLength={100}
      />
      <TextField
        name="jobTitle"
        label={v.t('accounts.field.job_title')}
        value={val.jobTitle}
        error={errors.jobTitle}
        maxLength={200}
      />
      <TextField
        name="function"
        label={v.t('accounts.field.function')}
        value={val.function}
        error={errors.function}
        maxLength={100}
      />
      <SelectField
        name="nationality"
        label={v.t('accounts.field.nationality')}
        value={val.nationality}
        any="—"
        error={errors.nationality}
        options={countryOptions(v.locale, val.nationality)}
      />
      {props.gender && (
        <SelectField
          name="gender"
          label={v.t('accounts.field.gender')}
          hint={v.t('accounts.field.gender_hint')}
          value={val.gender}
          any={v.t('accounts.gender.not_given')}
          error={errors.gender}
          options={GENDERS.map((g) => [g, v.t(`accounts.gender.${g}`)] as [string, string])}
        />
      )}
      <SelectField
        name="entityId"
        label={v.t('accounts.field.entity')}
        value={val.entityId}
        any="—"
        error={errors.entityId}
        options={props.orgs}
      />
      {props.afterEntity}
      <SelectField
        name="preferredLocale"
        label={v.t('accounts.field.language')}
        value={val.preferredLocale}
        error={errors.preferredLocale}
        options={LOCALES.map((l) => [l, ENDONYMS[l]])}
      />
    </>
  );
}
