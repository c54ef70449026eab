/** Response bodies in tests are checked by assertions, not by the type system. */
export const json = (res: Response): Promise<any> => res.json()
