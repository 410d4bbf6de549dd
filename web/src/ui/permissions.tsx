import { createClient } from '@nokkel/client-sdk';
import { useEffect, useState } from 'react';
import { WebPermissionCatalogDocument, type Permission, type WebPermissionCatalogQuery } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';

type Catalog = WebPermissionCatalogQuery['permissions'];
let catalog: Promise<Catalog> | null = null;

/** The permission catalog (open to every caller), read once, with labels in the chosen language. */
export function usePermissionCatalog(): { catalog: Catalog; label: (p: Permission) => string } {
  const { language } = useI18n();
  const [list, setList] = useState<Catalog>([]);
  useEffect(() => {
    catalog ??= createClient({ url: '/graphql' })
      .request(WebPermissionCatalogDocument)
      .then((r) => r.permissions);
    void catalog.then(setList, () => (catalog = null));
  }, []);
  const label = (p: Permission) => {
    const info = list.find((i) => i.permission === p);
    return info ? (language === 'no' ? info.labelNo : info.label) : p;
  };
  return { catalog: list, label };
}
